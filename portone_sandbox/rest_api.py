# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""PortOne V1 REST endpoints: same paths, envelope and HTTP statuses as api.iamport.kr.

Authentication, faults and request counting happen in the app before these handlers run;
a `Refusal` raised here becomes an envelope with its code and message.
"""

from werkzeug.routing import Rule

from . import messages
from .http_io import envelope, is_true, read_body
from .payments import Refusal, cancel, charge_billing_key, whole_amount
from .state import public


def rules():
    """:return: The REST routes, whose endpoints are the handlers below. :rtype: list[Rule]"""
    return [
        Rule('/users/getToken', methods=['POST'], endpoint=get_token),
        Rule('/payments/<imp_uid>', methods=['GET'], endpoint=get_payment),
        Rule('/payments/find/<merchant_uid>', methods=['GET'], endpoint=find_payment),
        Rule('/payments/find/<merchant_uid>/<status>', methods=['GET'], endpoint=find_payment),
        Rule('/payments/prepare', methods=['POST'], endpoint=prepare),
        Rule('/payments/prepare', methods=['PUT'], endpoint=update_prepared),
        Rule('/payments/prepare/<merchant_uid>', methods=['GET'], endpoint=get_prepared),
        Rule('/payments/cancel', methods=['POST'], endpoint=cancel_payment),
        Rule('/subscribe/customers/<customer_uid>', methods=['GET'], endpoint=get_billing_key),
        Rule('/subscribe/customers/<customer_uid>', methods=['DELETE'],
             endpoint=delete_billing_key),
        Rule('/subscribe/payments/again', methods=['POST'], endpoint=charge_again),
    ]


def get_token(app, request):
    """POST /users/getToken ``{imp_key, imp_secret}`` (JSON or form): the current token, or
    HTTP 401 for other credentials."""
    body = read_body(request)
    config = app.state.config
    if body.get('imp_key') != config.api_key or body.get('imp_secret') != config.api_secret:
        return envelope(code=-1, message=messages.AUTH_FAILED, status=401)
    token, expired_at, current = app.state.issue_token()
    return envelope({'access_token': token, 'expired_at': expired_at, 'now': current})


def get_payment(app, request, imp_uid):
    """GET /payments/{imp_uid}[?include_sandbox=true]: the payment, 404 if unknown or hidden."""
    state = app.state
    with state.lock:
        payment = state.payments.get(imp_uid)
        if not state.visible(payment, is_true(request.args.get('include_sandbox'))):
            return _payment_not_found()
        return envelope(public(payment))


def find_payment(app, request, merchant_uid, status=None):
    """GET /payments/find/{merchant_uid}[/{status}]: the most recently started payment."""
    state = app.state
    with state.lock:
        include_sandbox = is_true(request.args.get('include_sandbox'))
        payment = state.newest_payment(merchant_uid, status, include_sandbox)
        if payment is None:
            return _payment_not_found()
        return envelope(public(payment))


def prepare(app, request):
    """POST /payments/prepare ``{merchant_uid, amount}``: register the amount (once)."""
    body = read_body(request)
    merchant_uid = _required(body, 'merchant_uid')
    amount = whole_amount(body.get('amount'), allow_zero=True)
    with app.state.lock:
        if merchant_uid in app.state.prepared:
            raise Refusal('prepared_exists', messages.PREPARED_EXISTS)
        prepared = {'merchant_uid': merchant_uid, 'amount': amount,
                    'currency': body.get('currency')}
        app.state.prepared[merchant_uid] = prepared
        return envelope(prepared)


def update_prepared(app, request):
    """PUT /payments/prepare ``{merchant_uid, amount}``: change a registered amount."""
    body = read_body(request)
    merchant_uid = _required(body, 'merchant_uid')
    amount = whole_amount(body.get('amount'), allow_zero=True)
    with app.state.lock:
        prepared = app.state.prepared.get(merchant_uid)
        if prepared is None:
            return _prepared_not_found()
        prepared['amount'] = amount
        return envelope(prepared)


def get_prepared(app, request, merchant_uid):
    """GET /payments/prepare/{merchant_uid}: the registered amount, 404 if none."""
    with app.state.lock:
        prepared = app.state.prepared.get(merchant_uid)
        if prepared is None:
            return _prepared_not_found()
        return envelope(prepared)


def cancel_payment(app, request):
    """POST /payments/cancel: cancel by imp_uid (or merchant_uid); the webhook is sent only
    with ``enable_webhook``, in the background like PortOne."""
    body = read_body(request)
    state = app.state
    with state.lock:
        if body.get('imp_uid'):
            payment = state.payments.get(body['imp_uid'])
        elif body.get('merchant_uid'):
            merchant_uid = body['merchant_uid']
            payment = (state.newest_payment(merchant_uid, status='paid')
                       or state.newest_payment(merchant_uid))
        else:
            raise Refusal('missing_parameter', messages.MISSING_PARAMETER.format(
                'imp_uid, merchant_uid'), code=-1)
        entry = cancel(state, payment, body)
        answer = envelope(public(payment))
    if is_true(body.get('enable_webhook')):
        app.webhooks.notify(payment, 'cancelled', entry['cancellation_id'], background=True)
    return answer


def get_billing_key(app, request, customer_uid):
    """GET /subscribe/customers/{customer_uid}: the stored billing key, 404 if none."""
    with app.state.lock:
        key = app.state.billing_keys.get(customer_uid)
        if key is None:
            return _customer_not_found(customer_uid)
        return envelope(public(key))


def delete_billing_key(app, request, customer_uid):
    """DELETE /subscribe/customers/{customer_uid}[?reason=]: delete and return the key."""
    with app.state.lock:
        key = app.state.billing_keys.pop(customer_uid, None)
        if key is None:
            return _customer_not_found(customer_uid)
        return envelope(public(key))


def charge_again(app, request):
    """POST /subscribe/payments/again: charge a stored key; code 0 even when declined."""
    payment = charge_billing_key(app.state, read_body(request))
    with app.state.lock:
        answer = envelope(public(payment))
    if payment['status'] == 'paid':
        app.webhooks.notify(payment, background=True)
    return answer


def _required(body, key):
    if body.get(key) in (None, ''):
        raise Refusal('missing_parameter', messages.MISSING_PARAMETER.format(key), code=-1)
    return str(body[key])


def _payment_not_found():
    return envelope(code=-1, message=messages.PAYMENT_NOT_FOUND, status=404)


def _prepared_not_found():
    return envelope(code=-1, message=messages.PREPARED_NOT_FOUND, status=404)


def _customer_not_found(customer_uid):
    return envelope(code=-1, message=messages.CUSTOMER_NOT_FOUND.format(customer_uid), status=404)
