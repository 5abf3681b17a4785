# Run by `make demo` inside `odoo shell`, which provides `env`: a KRW shop whose Galaxia provider
# is in test mode against the offline sandbox, in English and Korean.
import os

from odoo.addons.payment_galaxia.tests.krw_shop import setup_krw_shop

sandbox_url = os.environ['SANDBOX_URL']
website = env['website'].get_current_website()
setup_krw_shop(env, website)
korean = env['res.lang']._activate_lang('ko_KR')
website.language_ids |= korean
env.ref('payment_galaxia.payment_provider_galaxia').write({
    'state': 'test',
    'is_published': True,
    'galaxia_merchant_code': 'imp00000000',
    'galaxia_channel_key': 'channel-key-galaxia-test',
    'galaxia_api_key': 'sandbox_api_key',
    'galaxia_api_secret': 'sandbox_api_secret',
    'galaxia_item_code': 'DEMO01',
    'galaxia_card_quota': '2,3,6',
    'galaxia_api_url': sandbox_url,
    'galaxia_sdk_url': f'{sandbox_url}/v1/iamport.js',
})
env.cr.commit()
