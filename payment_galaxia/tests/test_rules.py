# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

import datetime
import json
from pathlib import Path

import pytest

from payment_galaxia import rules
from payment_galaxia.rules import (
    RULE_MESSAGES,
    GalaxiaRuleError,
    PaymentRequest,
    build_request_pay,
    derive_customer_id,
    validate_request_pay,
)

CASES = json.loads((Path(__file__).parent / 'rule_cases.json').read_text(encoding='utf-8'))
BUILDER_ONLY_CODES = {'unknown_flow', 'flow_pay_method_mismatch', 'missing_customer_uid'}
RETURN_URL = 'https://shop.example/payment/galaxia/return'
WEBHOOK_URL = 'https://shop.example/payment/galaxia/webhook'


def _request(**values):
    facts = {
        'merchant_uid': 'tx-20260801-0001', 'amount': 55000.0, 'currency': 'KRW',
        'name': 'Order S00042', 'pay_method': 'card', 'customer_id': 'p0123456789abcdef012',
        'channel_key': 'channel-key-galaxia-test', 'm_redirect_url': RETURN_URL,
        'notice_url': WEBHOOK_URL, 'buyer_name': '홍길동', 'buyer_email': 'buyer@example.com',
        'buyer_tel': '010-1234-5678',
    }
    return PaymentRequest(**{**facts, **values})


def _refusal(param, mobile=False):
    try:
        validate_request_pay(param, mobile=mobile)
    except GalaxiaRuleError as error:
        return error.code
    return None


@pytest.mark.parametrize('case', CASES, ids=[case['name'] for case in CASES])
def test_rule_case(case):
    """Test each shared rule case through the Python validator."""
    assert _refusal(case['param'], case['mobile']) == case['expected']


def test_every_validator_code_has_a_case():
    """Test that the shared cases refuse with every code the validator can raise."""
    assert {case['expected'] for case in CASES} - {None} == set(RULE_MESSAGES) - BUILDER_ONLY_CODES


def test_refusal_carries_code_message_and_field():
    """Test that a refusal says which rule, in English, and which parameter."""
    with pytest.raises(GalaxiaRuleError) as caught:
        validate_request_pay({**CASES[0]['param'], 'phone': {'carrier': 'KT'},
                              'pay_method': 'phone'}, mobile=False)
    assert caught.value.code == 'unknown_carrier'
    assert caught.value.message == RULE_MESSAGES['unknown_carrier']
    assert caught.value.field == 'phone.carrier'


def test_card_one_time_payload():
    """Test the exact parameter of a card payment with installments and a product code."""
    param = build_request_pay(_request(card_quota=[2, 3, 6], item_code='GX-01',
                                       card_direct={'code': '366', 'quota': 3}))
    assert param == {
        'channelKey': 'channel-key-galaxia-test', 'pay_method': 'card',
        'merchant_uid': 'tx-20260801-0001', 'name': 'Order S00042', 'amount': 55000,
        'currency': 'KRW', 'customer_id': 'p0123456789abcdef012', 'buyer_name': '홍길동',
        'buyer_email': 'buyer@example.com', 'buyer_tel': '010-1234-5678',
        'm_redirect_url': RETURN_URL, 'notice_url': WEBHOOK_URL,
        'display': {'card_quota': [2, 3, 6]}, 'card': {'direct': {'code': '366', 'quota': 3}},
        'bypass': {'galaxia': {'ITEM_CODE': 'GX-01'}},
    }
    assert type(param['amount']) is int


def test_installments_are_not_offered_below_the_minimum():
    """Test that the provider's installment months turn into lump sum only for small orders."""
    param = build_request_pay(_request(amount=49999, card_quota=[2, 3]))
    assert param['display'] == {'card_quota': []}


def test_trans_payload_with_escrow():
    """Test a bank transfer with escrow, phone and card options left out."""
    param = build_request_pay(_request(pay_method='trans', escrow=True, card_quota=[2],
                                       phone_carrier='SKT'))
    assert param['escrow'] is True
    assert not {'display', 'card', 'phone', 'vbank_due', 'customer_uid'} & set(param)


def test_escrow_is_only_sent_where_galaxia_allows_it():
    """Test that an escrow preference does not break card and phone payments."""
    assert 'escrow' not in build_request_pay(_request(escrow=True))
    assert 'escrow' not in build_request_pay(_request(pay_method='phone', escrow=True))


def test_phone_payload_with_carrier():
    """Test a phone payment preselecting the carrier."""
    param = build_request_pay(_request(pay_method='phone', phone_carrier='LGT', card_quota=[2]))
    assert param['phone'] == {'carrier': 'LGT'}
    assert 'display' not in param


@pytest.mark.parametrize('vbank_due', [datetime.date(2030, 1, 31), '2030-01-31', '20300131',
                                       datetime.datetime(2030, 1, 31, 15, 0)])
def test_vbank_payload_formats_the_due_date(vbank_due):
    """Test that the deposit deadline is sent as YYYYMMDD whatever its form."""
    param = build_request_pay(_request(pay_method='vbank', vbank_due=vbank_due, escrow=True))
    assert (param['vbank_due'], param['escrow']) == ('20300131', True)


def test_vbank_without_due_date_is_refused():
    """Test that a virtual account without deadline never reaches the browser."""
    with pytest.raises(GalaxiaRuleError) as caught:
        build_request_pay(_request(pay_method='vbank'))
    assert caught.value.code == 'missing_vbank_due'


def test_card_billing_key_issue_payload():
    """Test that issuing a card key sends amount 0 and no amount-related option."""
    param = build_request_pay(_request(
        flow='card_billing_key', customer_uid='cu-p42-1', card_quota=[2, 3], tax_free=100,
        vat_amount=10, card_direct={'code': '366', 'quota': 2},
    ))
    assert (param['amount'], param['customer_uid'], param['pay_method']) == (0, 'cu-p42-1', 'card')
    assert not {'display', 'card', 'tax_free', 'vat_amount'} & set(param)


def test_phone_billing_key_payload_charges_the_amount():
    """Test that a phone key is issued while paying the order."""
    param = build_request_pay(_request(flow='phone_billing_key', pay_method='phone',
                                       customer_uid='cu-p42-2', phone_carrier='SKT',
                                       tax_free=1000, vat_amount=4909))
    assert (param['amount'], param['customer_uid']) == (55000, 'cu-p42-2')
    assert (param['tax_free'], param['vat_amount']) == (1000, 4909)


def test_customer_uid_is_only_sent_for_billing_key_flows():
    """Test that a one-time payment never issues a key by accident."""
    assert 'customer_uid' not in build_request_pay(_request(customer_uid='cu-1'))


@pytest.mark.parametrize(('values', 'code'), [
    ({'flow': 'subscription'}, 'unknown_flow'),
    ({'flow': 'card_billing_key', 'pay_method': 'phone', 'customer_uid': 'cu'},
     'flow_pay_method_mismatch'),
    ({'flow': 'phone_billing_key', 'pay_method': 'phone'}, 'missing_customer_uid'),
    ({'currency': 'USD'}, 'currency_not_krw'),
    ({'amount': 1000.5}, 'invalid_amount'),
    ({'m_redirect_url': None}, 'missing_m_redirect_url'),
    ({'customer_id': 'x' * 53}, 'customer_id_too_long'),
])
def test_builder_refusals(values, code):
    """Test that the builder refuses bad flows and validates as for a mobile browser."""
    with pytest.raises(GalaxiaRuleError) as caught:
        build_request_pay(_request(**values))
    assert caught.value.code == code


def test_derive_customer_id():
    """Test that customer ids are stable, 20 characters and differ per database."""
    first = derive_customer_id(42, 'db-uuid-1')
    assert first == derive_customer_id(42, 'db-uuid-1')
    assert len(first) == rules.MAX_CUSTOMER_ID_LENGTH
    assert first != derive_customer_id(42, 'db-uuid-2')
    assert first != derive_customer_id(43, 'db-uuid-1')
    with pytest.raises(ValueError):
        derive_customer_id(42, '')

