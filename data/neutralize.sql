-- A neutralized copy must never reach the merchant's PortOne account.
UPDATE payment_provider
   SET galaxia_merchant_code = NULL,
       galaxia_channel_key = NULL,
       galaxia_api_key = NULL,
       galaxia_api_secret = NULL;
