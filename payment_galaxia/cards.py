# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""Korean card companies by the code PortOne takes to open one company's window directly
(``card.direct.code``), from PortOne's code list."""

CARD_COMPANIES = {
    '361': "BC카드",
    '381': "KB국민카드",
    '367': "현대카드",
    '365': "삼성카드",
    '368': "롯데카드",
    '371': "NH농협카드",
    '041': "우리카드",
    '374': "하나카드",
    '366': "신한카드",
    '045': "새마을금고",
    '373': "제주카드",
    '364': "광주카드",
    '369': "수협카드",
    '048': "신협",
    '370': "씨티카드",
    '071': "우체국",
    '372': "전북카드",
    '002': "KDB산업은행",
    '089': "케이뱅크",
    '090': "카카오뱅크",
}
