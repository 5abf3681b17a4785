# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

{
    'name': "Payment Provider: Galaxia MoneyTree (PortOne)",
    'version': '19.0.1.0.0',
    'category': 'Accounting/Payment Providers',
    'sequence': 350,
    'summary': "Take KRW payments through Galaxia MoneyTree (갤럭시아머니트리) via PortOne V1.",
    'depends': ['payment'],
    'data': [
        'security/ir.model.access.csv',
        'data/payment_method_data.xml',
        'data/payment_provider_data.xml',
        'data/ir_cron_data.xml',
        'data/mail_template_data.xml',
        'views/payment_provider_views.xml',
        'views/payment_galaxia_templates.xml',
        'views/payment_galaxia_refund_wizard_views.xml',
    ],
    'post_init_hook': 'post_init_hook',
    'uninstall_hook': 'uninstall_hook',
    'assets': {
        'web.assets_frontend': ['payment_galaxia/static/src/interactions/**/*'],
        'web.assets_tests': ['payment_galaxia/static/tests/tours/**/*'],
    },
    # The Apps store's cover first (Odoo itself shows the icon and index.html's own images).
    'images': [
        'static/description/screenshot_checkout.png',
        'static/description/screenshot_window.png',
        'static/description/screenshot_vbank.png',
        'static/description/screenshot_provider.png',
    ],
    'author': "payment_galaxia contributors",
    'license': 'LGPL-3',
}
