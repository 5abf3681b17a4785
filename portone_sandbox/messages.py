# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""The sandbox's error messages, in PortOne's language. Wording PortOne is known to use is kept
as is (payment not found, nothing to cancel, unregistered customer); the rest is ours."""

# REST API
AUTH_FAILED = 'imp_key, imp_secret 인증에 실패하였습니다.'
UNAUTHORIZED = 'Unauthorized'
NO_SUCH_ROUTE = '요청하신 API 경로가 존재하지 않습니다.'
METHOD_NOT_ALLOWED = '허용되지 않는 HTTP METHOD입니다.'
BAD_BODY = '요청 본문을 해석할 수 없습니다.'
MISSING_PARAMETER = '필수 파라미터가 누락되었습니다: {}'
INVALID_AMOUNT = '금액(amount)은 0보다 큰 정수여야 합니다.'
PAYMENT_NOT_FOUND = '존재하지 않는 결제정보입니다.'
PREPARED_NOT_FOUND = '사전등록된 결제정보가 존재하지 않습니다.'
PREPARED_EXISTS = '이미 사전등록된 merchant_uid입니다.'
PREPARED_MISMATCH = '사전등록된 결제금액과 요청금액이 일치하지 않습니다.'
MERCHANT_UID_PAID = '이미 결제완료된 merchant_uid입니다.'
NOTHING_TO_CANCEL = '취소할 결제건이 존재하지 않습니다.'
ALREADY_CANCELLED = '이미 전액취소된 주문입니다.'
NOT_PAID = '결제완료 상태가 아닌 결제건은 취소할 수 없습니다.'
CHECKSUM_MISMATCH = '취소가능잔액(checksum)이 일치하지 않습니다.'
EXCEEDS_BALANCE = '취소요청금액이 취소가능잔액을 초과합니다.'
NO_BALANCE = '취소가능잔액이 없습니다.'
NOT_AWAITING_DEPOSIT = '입금을 기다리는 가상계좌가 아닙니다.'
REFUND_ACCOUNT_REQUIRED = (
    '가상계좌 환불에는 환불계좌 정보(refund_holder, refund_bank, refund_account)가 필요합니다.'
)
PHONE_PARTIAL_CANCEL = '휴대폰 결제는 부분취소가 불가능합니다.'
PHONE_MONTH_CHANGED = '휴대폰 결제는 결제한 달이 지나면 취소할 수 없습니다.'
CUSTOMER_NOT_FOUND = '요청하신 customer_uid({})로 등록된 정보를 찾을 수 없습니다.'
CUSTOMER_UNKNOWN = '등록되지 않은 구매자입니다.'

# Payment window
UNKNOWN_MERCHANT_CODE = '가맹점 식별코드가 올바르지 않습니다. IMP.init()을 확인하세요.'
UNKNOWN_CHANNEL = '채널키(channelKey)에 해당하는 채널이 없습니다.'
WINDOW_FINISHED = '이미 종료된 결제창입니다.'
DECLINED = '결제 승인이 거절되었습니다. (sandbox)'
USER_CLOSED = '사용자가 결제를 취소하셨습니다'
