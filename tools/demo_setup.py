# Run by `make demo` inside `odoo shell`, which provides `env`: a KRW shop whose Galaxia provider
# is in test mode against the offline sandbox, in English and Korean.
import os

from odoo.addons.payment_galaxia.tests.shop_setup import sandbox_provider_values, setup_krw_shop

sandbox_url = os.environ['SANDBOX_URL']
website = env['website'].get_current_website()
setup_krw_shop(env, website)
# Virtual accounts are offered to Korean addresses: give the admin shopper one.
# Its state too: the demo data gives it an American one.
env.ref('base.partner_admin').write({
    'street': "세종대로 110", 'city': "중구", 'zip': '04524', 'country_id': env.ref('base.kr').id,
    'state_id': env.ref('base.state_kr_11').id,
})
# A database created with --load-language=ko_KR has Korean only: English is activated again so
# that the shop's language selector offers both, Korean first.
korean = env['res.lang']._activate_lang('ko_KR')
website.language_ids |= korean | env['res.lang']._activate_lang('en_US')
website.default_lang_id = korean
env.ref('payment_galaxia.payment_provider_galaxia').write({
    **sandbox_provider_values(sandbox_url),
    'galaxia_item_code': 'DEMO01',
    'galaxia_card_quota': '2,3,6',
    'allow_tokenization': True,
})
env.cr.commit()
