-- A neutralized copy must never reach the merchant's PortOne account, nor keep pointing at
-- another server than PortOne's.
UPDATE payment_provider
   SET galaxia_merchant_code = NULL,
       galaxia_channel_key = NULL,
       galaxia_api_key = NULL,
       galaxia_api_secret = NULL,
       galaxia_api_url = 'https://api.iamport.kr',
       galaxia_sdk_url = 'https://cdn.iamport.kr/v1/iamport.js';
