# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""KRW amounts: the won has no minor unit, so whole amounts travel as JSON integers."""


def as_krw(value):
    """Turn an integral amount into an ``int`` and leave anything else as it is.

    Odoo computes amounts as floats (``1000.0``); PortOne and the payment window expect the
    number ``1000``. Fractional or non-numeric values are returned unchanged so that validation
    can refuse them instead of silently rounding.

    :param value: The amount (int, float, numeric string or anything else).
    :return: The amount as int when integral, else the value unchanged.
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
