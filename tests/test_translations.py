# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

import re

import polib

from odoo.tests import tagged
from odoo.tools.misc import file_path
from odoo.tools.translate import TranslationModuleReader

from odoo.addons.payment.tests.http_common import PaymentHttpCommon
from odoo.addons.payment_galaxia.payment_galaxia.rules import GalaxiaRuleError
from odoo.addons.payment_galaxia.tests.common import GalaxiaCommon

# Terms that read the same in Korean: carrier brands, a label, the form's example values.
SAME_IN_KOREAN = {'KT', 'LG U+', 'ID', 'imp12345678', 'myshop://'}
HANGUL = re.compile('[\uac00-\ud7a3]')


@tagged('post_install', '-at_install')
class TestKoreanTranslations(GalaxiaCommon, PaymentHttpCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.korean = cls.env['res.lang']._activate_lang('ko_KR')
        cls.env['ir.module.module']._load_module_terms(['payment_galaxia'], ['ko_KR'])

    def _module_terms(self):
        """:return: The terms Odoo extracts from the module (Python, JS, views, data)."""
        return {row[4] for row in TranslationModuleReader(self.env.cr, ['payment_galaxia'])}

    def test_every_term_of_the_module_has_its_korean_translation(self):
        """Test that each term of the module is translated in i18n/ko.po, but those that are
        the same in Korean (OCA's layout leaves them empty): Korean names, brands and codes."""
        terms = self._module_terms()
        catalog = polib.pofile(file_path('payment_galaxia/i18n/ko.po'))
        translated = {entry.msgid for entry in catalog if entry.msgstr}
        untranslated = {
            term for term in terms - translated
            if term not in SAME_IN_KOREAN and not HANGUL.search(term)
        }
        self.assertTrue(terms)
        self.assertFalse(untranslated, "terms without a Korean translation")

    def test_the_template_lists_the_terms_of_the_module(self):
        """Test that i18n/payment_galaxia.pot is current: `make pot` was run after the last
        change of a term."""
        template = polib.pofile(file_path('payment_galaxia/i18n/payment_galaxia.pot'))
        self.assertEqual({entry.msgid for entry in template}, self._module_terms())

    def test_rule_refusals_reach_the_customer_in_korean(self):
        """Test that a Galaxia refusal is told to a Korean customer in Korean."""
        error = GalaxiaRuleError('missing_buyer_name', 'buyer_name')
        message = self.galaxia.with_context(lang='ko_KR')._galaxia_rule_message(error)
        self.assertEqual(message, "계좌이체로 결제하려면 이름을 입력해 주세요.")

    def test_korean_payment_page_names_galaxia_methods_in_korean(self):
        """Test that the payment page of a Korean website shows Galaxia's methods in Korean, Odoo's
        generic phone method included."""
        self._require_modules('website')
        website = self.env['website'].get_current_website()
        website.language_ids |= self.korean
        self.partner.write({'lang': 'ko_KR', 'country_id': self.env.ref('base.kr').id})
        self.env.ref('payment_galaxia.payment_method_vbank').active = True
        response = self._make_http_get_request(
            self._build_url('/ko/payment/pay'), params=self._prepare_pay_values()
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue('가상계좌' in response.text, "the virtual account method is not in Korean")
        self.assertIn("휴대폰 결제", response.text)  # Odoo's phone method, named by this module.

    def test_the_checkouts_texts_reach_korean_shoppers(self):
        """Test that the texts of the checkout's script (its error dialog) are among the
        translations a Korean shop serves to its pages."""
        self._require_modules('website')
        website = self.env['website'].get_current_website()
        website.language_ids |= self.korean
        response = self.url_open('/ko/website/translations')
        self.assertEqual(response.status_code, 200)
        self.assertIn("결제가 완료되지 않았습니다", response.content.decode())
