# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

import re

from lxml import html

from odoo.tests import HttpCase, tagged
from odoo.tools.misc import file_path

MODULE = 'payment_galaxia'
SCREENSHOTS = ('checkout', 'window', 'vbank', 'provider')
SECTIONS = ('methods', 'virtual-account', 'verification', 'features', 'setup', 'limits')


def _readme_console_table():
    """:return: The rows `(Odoo field, PortOne console)` of the README's table of where each
    value is in PortOne's console, without their Markdown."""
    with open(file_path(f'{MODULE}/README.md'), encoding='utf-8') as readme:
        text = readme.read()
    table = text.split("### Where each value is in PortOne's console", 1)[1].split('\n\n')[1]
    rows = [
        tuple(re.sub(r'\*\*|`', '', cell).strip() for cell in line.strip('|').split('|'))
        for line in table.splitlines()
    ]
    return set(rows[2:])  # below the header and its rule


@tagged('post_install', '-at_install')
class TestAppsPage(HttpCase):
    """The module's page in Odoo's Apps view: static/description/index.html with the screenshots
    `make screenshots` takes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.module = cls.env['ir.module.module']._get(MODULE)
        cls.page = html.fromstring(cls.module.description_html)
        with open(file_path(f'{MODULE}/static/description/index.html'), encoding='utf-8') as file:
            cls.source = file.read()

    def test_description_has_its_sections_and_screenshots(self):
        """Test that the rendered description has every section, the four methods, five setup
        steps, and the four screenshots at the URLs Odoo gives them, each one served as a PNG."""
        self.assertEqual(
            self.page.xpath('//section[@id]/@id'), list(SECTIONS), "the sections, in order"
        )
        self.assertEqual(len(self.page.xpath('//section[@id="methods"]//h4')), 4)
        self.assertEqual(len(self.page.xpath('//section[@id="setup"]//ol/li')), 5)
        sources = self.page.xpath('//img/@src')
        self.assertEqual(
            sorted(sources),
            sorted(f'/{MODULE}/static/description/screenshot_{name}.png' for name in SCREENSHOTS),
        )
        for source in sources:
            with self.subTest(image=source):
                self.assertTrue(file_path(source.lstrip('/')))
                response = self.url_open(source)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.headers['Content-Type'], 'image/png')
                self.assertTrue(response.content.startswith(b'\x89PNG\r\n\x1a\n'))

    def test_description_uses_no_script_and_no_external_asset(self):
        """Test that the page works offline and in the Apps store: no script, stylesheet or
        style, nothing loaded from another site."""
        self.assertIsNone(
            re.search(r'<(script|link|style|iframe)\b|\bstyle=|\bon\w+=', self.source, re.I)
        )
        self.assertIsNone(re.search(r'(src|href)="[^"]*//', self.source))

    def test_console_table_is_the_readme_one(self):
        """Test that the page says where each value is in PortOne's console as the README does.
        """
        rows = {
            tuple(' '.join(cell.text_content().split()) for cell in row.xpath('td'))
            for row in self.page.xpath('//section[@id="setup"]//table/tbody/tr')
        }
        self.assertEqual(rows, _readme_console_table())

    def test_manifest_images_are_the_screenshots(self):
        """Test that the manifest's images (the Apps store's cover first) are the screenshots."""
        images = self.module.get_module_info(MODULE)['images']
        self.assertEqual(
            images, [f'static/description/screenshot_{name}.png' for name in SCREENSHOTS]
        )
        for image in images:
            self.assertTrue(file_path(f'{MODULE}/{image}'))

    def test_apps_view_shows_the_screenshots(self):
        """Test that the module's form in the Apps view shows the page with its four screenshots
        loaded, at the size `make screenshots` takes them."""
        self.browser_js(
            f'/odoo/action-base.open_module_tree/{self.module.id}',
            """
            const deadline = Date.now() + 30000;
            (function check() {
                const page = document.querySelector('.o_form_view [name="description_html"]');
                const images = [...(page?.querySelectorAll('section.oe_container img') || [])];
                const loaded = images.filter((img) => img.complete && img.naturalWidth === 1280);
                if (images.length === 4 && loaded.length === 4) {
                    console.log('test successful');
                } else if (Date.now() > deadline) {
                    console.error(`${loaded.length} of ${images.length} screenshots shown`);
                } else {
                    setTimeout(check, 200);
                }
            })();
            """,
            login='admin',
        )
