# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""Reading request bodies and writing JSON answers, PortOne's envelope included."""

import json

from werkzeug.wrappers import Response

# Pages of any origin (the Odoo under test, a demo page) call the sandbox from the browser.
CORS_HEADERS = {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE, OPTIONS',
    'Access-Control-Allow-Headers': 'Authorization, Content-Type, X-ImpTokenHeader',
    'Access-Control-Max-Age': '600',
}


class BadBody(ValueError):
    """The request body is neither a JSON object nor a form."""


def read_body(request):
    """Decode a JSON object or a form-encoded body, as PortOne accepts both.

    :param werkzeug.wrappers.Request request: The request.
    :return: The fields (form values stay strings).
    :rtype: dict
    :raise BadBody: If the body cannot be decoded.
    """
    if not request.get_data():
        return {}
    if request.mimetype in ('application/x-www-form-urlencoded', 'multipart/form-data'):
        return request.form.to_dict()
    try:
        body = json.loads(request.get_data())
    except ValueError as error:
        raise BadBody(str(error)) from error
    if not isinstance(body, dict):
        raise BadBody("the body must be a JSON object")
    return body


def is_true(value):
    """:return: Whether a JSON or form value means true. :rtype: bool"""
    return value is True or str(value).lower() in ('true', '1')


def json_response(data, status=200):
    """:return: ``data`` as a JSON answer. :rtype: Response"""
    return Response(json.dumps(data, ensure_ascii=False), status=status,
                    mimetype='application/json')


def envelope(response=None, *, code=0, message=None, status=200):
    """:return: PortOne's ``{code, message, response}`` envelope as JSON. :rtype: Response"""
    return json_response({'code': code, 'message': message, 'response': response}, status)
