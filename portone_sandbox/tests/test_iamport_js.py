# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""The served iamport.js run under node: same rule verdicts as Python, same redirects as
PortOne's mobile flow."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from payment_galaxia.rules import GalaxiaRuleError, validate_request_pay

# The rules' own cases, which the Python validator is tested on too.
CASES_FILE = Path(__file__).parents[2] / 'payment_galaxia' / 'tests' / 'rule_cases.json'
NODE = shutil.which('node')
pytestmark = pytest.mark.skipif(NODE is None, reason="node is needed to run iamport.js")


@pytest.fixture
def sdk(rest, tmp_path):
    """The iamport.js the sandbox serves, saved where node can require it."""
    path = tmp_path / 'iamport.js'
    path.write_bytes(rest.fetch('GET', '/v1/iamport.js').data)
    return path


def _node(script, *args):
    completed = subprocess.run([NODE, '-e', script, *map(str, args)], capture_output=True,
                               text=True, timeout=30, check=True)
    return json.loads(completed.stdout)


def test_js_and_python_validators_agree(sdk):
    """Test that every shared case gets the same refusal code from both validators."""
    js_codes = _node(
        "const {validateRequestPay} = require(process.argv[1]);"
        "const cases = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));"
        "console.log(JSON.stringify(cases.map(c => {"
        "  const refusal = validateRequestPay(c.param, c.mobile);"
        "  return refusal && refusal.code; })));",
        sdk, CASES_FILE,
    )
    cases = json.loads(CASES_FILE.read_text(encoding='utf-8'))
    python_codes = []
    for case in cases:
        try:
            validate_request_pay(case['param'], mobile=case['mobile'])
            python_codes.append(None)
        except GalaxiaRuleError as error:
            python_codes.append(error.code)
    assert js_codes == python_codes
    assert js_codes == [case['expected'] for case in cases]


def test_js_refusal_carries_the_python_message(sdk):
    """Test that the JS refusal text comes from RULE_MESSAGES, not a copy."""
    refusal = _node(
        "const {validateRequestPay} = require(process.argv[1]);"
        "console.log(JSON.stringify(validateRequestPay({}, false)));", sdk,
    )
    assert refusal == {'code': 'missing_channel_key', 'field': 'channelKey',
                       'message': 'The shop has not finished setting up Galaxia MoneyTree.'}


def test_mobile_redirect_urls(sdk):
    """Test the m_redirect_url query of a success, of a failure and of a callback reduced to
    its ids."""
    urls = _node(
        "const {redirectUrl} = require(process.argv[1]);"
        "console.log(JSON.stringify(["
        "  redirectUrl('https://shop.example/return?x=1', {success: true, imp_uid: 'imp_1',"
        "              merchant_uid: 'o-1', error_code: null}),"
        "  redirectUrl('/return', {success: false, imp_uid: null, merchant_uid: 'o-2',"
        "              error_code: 'USER_CANCELLED', error_msg: '사용자가 결제를 취소하셨습니다'},"
        "              'https://shop.example/shop/payment'),"
        "  redirectUrl('/return', {imp_uid: 'imp_3', merchant_uid: 'o-3'}, 'https://s.example'),"
        "]));", sdk,
    )
    assert urls[0] == ('https://shop.example/return?x=1&imp_uid=imp_1&merchant_uid=o-1'
                       '&imp_success=true')
    assert urls[1].startswith('https://shop.example/return?merchant_uid=o-2&imp_success=false'
                              '&error_code=USER_CANCELLED&error_msg=')
    assert urls[2] == 'https://s.example/return?imp_uid=imp_3&merchant_uid=o-3'
