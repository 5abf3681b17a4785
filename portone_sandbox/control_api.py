# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""The sandbox's own API under ``/__sandbox__/``, for tests and the demo (JSON in and out).

Webhooks it triggers are delivered before it answers, and the answer lists the deliveries,
unless the body says ``"background": true``.
"""

import html

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from payment_galaxia.rules import PAY_METHODS

from . import messages
from .faults import Faults
from .http_io import is_true, json_response, read_body
from .payments import Refusal, approve, cancel, deposit, fail, open_payment, whole_amount
from .state import public

PREFIX = '/__sandbox__'
CREATED_STATUSES = ('paid', 'ready', 'failed')
# Fields of a created payment a test may set directly, after the simulated window.
OVERRIDABLE_FIELDS = (
    'paid_at', 'started_at', 'pg_tid', 'receipt_url', 'customer_uid_usage', 'card_code',
    'card_name', 'card_number', 'card_quota', 'card_type', 'apply_num', 'vbank_code',
    'vbank_name', 'vbank_num', 'vbank_holder', 'vbank_date', 'currency',
)
PARAM_FIELDS = (
    'name', 'customer_id', 'customer_uid', 'buyer_name', 'buyer_email', 'buyer_tel',
    'buyer_addr', 'buyer_postcode', 'notice_url', 'vbank_due', 'escrow',
)


def rules():
    """:return: The control routes. :rtype: list[Rule]"""
    return [
        Rule(f'{PREFIX}/payments', methods=['GET'], endpoint=list_payments),
        Rule(f'{PREFIX}/payments', methods=['POST'], endpoint=create_payment),
        Rule(f'{PREFIX}/payments/<imp_uid>/deposit', methods=['POST'], endpoint=deposit_payment),
        Rule(f'{PREFIX}/payments/<imp_uid>/console-cancel', methods=['POST'],
             endpoint=console_cancel),
        Rule(f'{PREFIX}/payments/<imp_uid>/webhook', methods=['POST'], endpoint=resend_webhook),
        Rule(f'{PREFIX}/faults', methods=['GET', 'POST', 'DELETE'], endpoint=faults),
        Rule(f'{PREFIX}/stats', methods=['GET', 'DELETE'], endpoint=stats),
        Rule(f'{PREFIX}/webhooks', methods=['GET'], endpoint=list_webhooks),
        Rule(f'{PREFIX}/reset', methods=['POST'], endpoint=reset),
        Rule(f'{PREFIX}/tokens/expire', methods=['POST'], endpoint=expire_tokens),
        Rule(f'{PREFIX}/receipts/<imp_uid>', methods=['GET'], endpoint=receipt),
    ]


def view(payment):
    """:return: A payment as PortOne shows it, plus the sandbox's ``notice_url``. :rtype: dict"""
    return {**public(payment), 'notice_url': payment['_notice_url']}


def list_payments(app, request):
    """GET payments[?merchant_uid=]: the payments, oldest first.

    :return: ``{payments: [...]}``.
    """
    merchant_uid = request.args.get('merchant_uid')
    with app.state.lock:
        payments = [view(payment) for payment in app.state.payments.values()
                    if merchant_uid in (None, payment['merchant_uid'])]
        return json_response({'payments': payments})


def create_payment(app, request):
    """POST payments: a payment as if its window had been approved (or declined).

    Body: ``merchant_uid``, ``amount`` (required); ``status`` paid|ready|failed (default paid;
    ready = virtual account issued, or window left open for other methods); ``pay_method``
    (default card); ``channel_key`` or ``sandbox`` (default true: the test channel);
    ``channel`` pc|mobile; `PARAM_FIELDS`; ``card_quota``, ``bank``, ``fail_reason``;
    `OVERRIDABLE_FIELDS`; ``webhook`` (default true), ``background``.

    :return: ``{payment, webhooks}`` with HTTP 201.
    """
    body = read_body(request)
    state = app.state
    status = body.get('status', 'paid')
    pay_method = body.get('pay_method', 'card')
    if status not in CREATED_STATUSES or pay_method not in PAY_METHODS:
        return _error('bad_request', f"status must be one of {CREATED_STATUSES} and pay_method"
                                     f" one of {PAY_METHODS}")
    if not body.get('merchant_uid'):
        return _error('missing_parameter', messages.MISSING_PARAMETER.format('merchant_uid'))
    param = {
        'channelKey': body.get('channel_key') or _channel_key(state.config, body),
        'pay_method': pay_method,
        'merchant_uid': str(body['merchant_uid']),
        'amount': whole_amount(body.get('amount'), allow_zero=True),
        'currency': 'KRW',
        'name': 'Sandbox order',
        **{key: body[key] for key in PARAM_FIELDS if key in body},
    }
    with state.lock:
        payment = open_payment(state, param, channel=body.get('channel', 'pc'))
        if status == 'failed':
            fail(state, payment, body.get('fail_reason') or messages.DECLINED)
        elif status == 'paid' or pay_method == 'vbank':
            approve(state, payment, card_quota=body.get('card_quota'), bank=body.get('bank'),
                    paid_at=body.get('paid_at'))
            if status == 'paid' and pay_method == 'vbank':
                deposit(state, payment)
        payment.update({key: body[key] for key in OVERRIDABLE_FIELDS if key in body})
        announced = status == 'paid' or bool(payment['vbank_num'])
    deliveries = []
    if announced and body.get('webhook', True):
        deliveries = app.webhooks.notify(payment, background=is_true(body.get('background')))
    with state.lock:
        return json_response({'payment': view(payment), 'webhooks': deliveries}, 201)


def deposit_payment(app, request, imp_uid):
    """POST payments/{imp_uid}/deposit: the buyer pays into the issued virtual account.

    :return: ``{payment, webhooks}``; the webhook announces ``paid``.
    """
    body = read_body(request)
    payment = _payment(app, imp_uid)
    deposit(app.state, payment)
    deliveries = app.webhooks.notify(payment, background=is_true(body.get('background')))
    with app.state.lock:
        return json_response({'payment': view(payment), 'webhooks': deliveries})


def console_cancel(app, request, imp_uid):
    """POST payments/{imp_uid}/console-cancel ``{amount?, reason?}``: a cancel made in
    PortOne's console (no checksum, no refund account asked), which always sends its webhook.

    :return: ``{payment, cancellation, webhooks}``; the webhook announces ``cancelled`` with
             the ``cancellation_id``.
    """
    body = read_body(request)
    payment = _payment(app, imp_uid)
    entry = cancel(app.state, payment, body, console=True)
    deliveries = app.webhooks.notify(payment, 'cancelled', entry['cancellation_id'],
                                     background=is_true(body.get('background')))
    with app.state.lock:
        return json_response({'payment': view(payment), 'cancellation': entry,
                              'webhooks': deliveries})


def resend_webhook(app, request, imp_uid):
    """POST payments/{imp_uid}/webhook ``{status?, url?, background?}``: send the payment's
    webhook again (a cancelled payment's carries its last ``cancellation_id``).

    :return: ``{webhooks}``.
    """
    body = read_body(request)
    payment = _payment(app, imp_uid)
    with app.state.lock:
        status = body.get('status') or payment['status']
        history = payment['cancel_history']
        announces_cancel = status == 'cancelled' and history
        cancellation_id = history[-1]['cancellation_id'] if announces_cancel else None
    deliveries = app.webhooks.notify(payment, status, cancellation_id, url=body.get('url'),
                                     background=is_true(body.get('background')))
    return json_response({'webhooks': deliveries})


def faults(app, request):
    """GET/POST/DELETE faults: read, set (merge) or clear the injected faults.

    :return: The faults now in force.
    """
    state = app.state
    with state.lock:
        if request.method == 'POST':
            try:
                state.faults.update(read_body(request))
            except (ValueError, TypeError, AttributeError) as error:
                return _error('bad_fault', str(error))
        elif request.method == 'DELETE':
            state.faults = Faults()
        return json_response(state.faults.as_dict())


def stats(app, request):
    """GET/DELETE stats: REST requests counted per endpoint since the last reset.

    :return: ``{requests: {'GET /payments/{imp_uid}': n, ...}, total}``.
    """
    with app.state.lock:
        if request.method == 'DELETE':
            app.state.stats.clear()
        counts = dict(app.state.stats)
        return json_response({'requests': counts, 'total': sum(counts.values())})


def list_webhooks(app, request):
    """GET webhooks: every delivery, oldest first.

    :return: ``{webhooks: [{url, body, format, http_status, error, dropped, at}]}``.
    """
    with app.state.lock:
        return json_response({'webhooks': list(app.state.webhooks)})


def reset(app, request):
    """POST reset: forget payments, prepared amounts, billing keys, faults, stats, webhooks.

    :return: ``{ok: true}``.
    """
    app.state.reset()
    return json_response({'ok': True})


def expire_tokens(app, request):
    """POST tokens/expire: expire every access token (the next API call gets a 401).

    :return: ``{ok: true}``.
    """
    app.state.expire_tokens()
    return json_response({'ok': True})


def receipt(app, request, imp_uid):
    """GET receipts/{imp_uid}: the page behind a payment's ``receipt_url``."""
    payment = _payment(app, imp_uid)
    lines = [f'{key}: {payment[key]}' for key in (
        'imp_uid', 'merchant_uid', 'name', 'pay_method', 'amount', 'cancel_amount', 'status',
        'pg_tid', 'card_name', 'card_number', 'paid_at',
    )]
    page = '<!DOCTYPE html><title>매출전표 (sandbox receipt)</title><pre>{}</pre>'.format(
        html.escape('\n'.join(lines)))
    return Response(page, mimetype='text/html')


def _channel_key(config, body):
    wants_sandbox = body.get('sandbox', True) is not False
    return next((key for key, channel in config.channels.items()
                 if bool(channel.get('sandbox')) == wants_sandbox), None)


def _payment(app, imp_uid):
    payment = app.state.payments.get(imp_uid)
    if payment is None:
        raise Refusal('payment_not_found', messages.PAYMENT_NOT_FOUND, code=-1, http_status=404)
    return payment


def _error(code, message, status=400):
    return json_response({'error_code': code, 'error': message}, status)
