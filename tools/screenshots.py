"""The Apps page's screenshots, taken in Debian's Chromium from the demo shop.

`make screenshots` (tools/screenshots.sh) sets the demo shop up in a temporary database, as
`make demo` does; this script then starts the PortOne sandbox and Odoo on it, drives Chromium
through the Chrome DevTools Protocol as the demo's shopper (admin, with a Korean address) and
saves into static/description/, at a fixed window size:

- screenshot_checkout.png: the checkout's payment step offering Galaxia's four methods;
- screenshot_window.png: the sandbox's payment window for a card, installments offered;
- screenshot_vbank.png: the order confirmation showing the issued virtual account;
- screenshot_provider.png: the provider's form in the backend.

Usage: python tools/screenshots.py --sandbox-url URL [--out DIR] <odoo options, -d DB included>
"""

import argparse
import base64
import io
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import requests
import websocket
from free_port import free_port
from odoo_server import start_odoo, stop_process
from PIL import Image

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))
from portone_sandbox import SandboxServer  # noqa: E402

CHROMIUM = shutil.which('chromium') or '/usr/bin/chromium'
WIDTH, HEIGHT = 1280, 800
# Office Lamp, from website_sale's demo data: 40 USD is 56,000 KRW at the demo's rate, enough for
# the card installments the demo offers (from 50,000 KRW).
PRODUCT = "Office Lamp"


class Browser:
    """Headless Chromium driven over the Chrome DevTools Protocol, one page, a fixed size."""

    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix='galaxia-chromium-')
        self.process = subprocess.Popen([
            CHROMIUM, '--headless=new', '--no-sandbox', '--disable-gpu',
            '--disable-background-networking', '--disable-component-update', '--no-first-run',
            '--disable-extensions', '--disable-dev-shm-usage', '--hide-scrollbars',
            '--force-device-scale-factor=1', f'--window-size={WIDTH},{HEIGHT}',
            f'--user-data-dir={self.profile}', '--remote-debugging-port=0', 'about:blank',
        ], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        port_file = Path(self.profile, 'DevToolsActivePort')
        deadline = time.monotonic() + 30
        while not (port_file.exists() and port_file.read_text().count('\n') >= 1):
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.close()
                raise RuntimeError("Chromium did not start")
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        page = next(target for target in requests.get(
            f'http://127.0.0.1:{port}/json/list', timeout=10).json() if target['type'] == 'page')
        self.ws = websocket.create_connection(
            page['webSocketDebuggerUrl'], suppress_origin=True, timeout=60)
        self.message_id = 0
        self.send('Emulation.setDeviceMetricsOverride', width=WIDTH, height=HEIGHT,
                  deviceScaleFactor=1, mobile=False)
        # A Korean shopper's browser: the shop answers in Korean (headless Chromium ignores --lang).
        self.send('Network.setUserAgentOverride', acceptLanguage='ko-KR,ko',
                  userAgent=self.send('Browser.getVersion')['userAgent'])

    def close(self):
        if getattr(self, 'ws', None):
            self.ws.close()
        stop_process(self.process)
        shutil.rmtree(self.profile, ignore_errors=True)

    def send(self, method, **params):
        """Call a DevTools method and return its result (events received meanwhile are dropped).
        """
        self.message_id += 1
        self.ws.send(json.dumps({'id': self.message_id, 'method': method, 'params': params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get('id') == self.message_id:
                if 'error' in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message['result']

    def evaluate(self, expression):
        """:return: The value of the JavaScript `expression` in the page (promises awaited)."""
        result = self.send('Runtime.evaluate', expression=expression, awaitPromise=True,
                           returnByValue=True)
        if 'exceptionDetails' in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result['result'].get('value')

    def wait_until(self, condition, what, timeout=90):
        """Wait until the JavaScript `condition` holds in a page Odoo has finished starting
        (`is-ready` on the website's body, `odoo.isReady` in the backend).

        :param str condition: A JavaScript expression.
        :param str what: What is waited for, for the error.
        :param int timeout: Seconds; a first page compiles Odoo's assets.
        """
        check = (f"document.readyState === 'complete' && (document.body.getAttribute('is-ready')"
                 f" === 'true' || !!window.odoo?.isReady) && !!({condition})")
        deadline = time.monotonic() + timeout
        error = None
        while time.monotonic() < deadline:
            try:
                if self.evaluate(check):
                    return
            except RuntimeError as exc:  # the page is being replaced
                error = exc
            time.sleep(0.25)
        raise RuntimeError(f"{what} did not appear on {self.url()} ({error})")

    def wait(self, selector, timeout=90):
        """Wait until an element matching the CSS `selector` is shown."""
        self.wait_until(f"document.querySelector({json.dumps(selector)})"
                        "?.getClientRects().length", repr(selector), timeout)

    def click(self, selector):
        self.wait(selector)
        self.evaluate(f"document.querySelector({json.dumps(selector)}).click()")

    def url(self):
        try:
            return self.evaluate('location.href')
        except RuntimeError:
            return '?'

    def goto(self, url, selector):
        """Open `url` and wait for `selector` on it."""
        self.send('Page.navigate', url=url)
        self.wait(selector)

    def screenshot(self, path):
        """Save the viewport as a PNG of 256 colours (a fraction of the size, alike to the eye).
        """
        self.evaluate('document.fonts.ready.then(() => true)')
        time.sleep(1)  # transitions and lazy images settle
        data = base64.b64decode(self.send('Page.captureScreenshot', format='png')['data'])
        image = Image.open(io.BytesIO(data)).convert('RGB').quantize(colors=256)
        image.save(path, optimize=True)
        print(f"{path.name}: {image.width}x{image.height}, {path.stat().st_size // 1024} KB",
              flush=True)

    def call(self, model, method, *args, **kwargs):
        """:return: What `model.method(*args, **kwargs)` returns, called by the page's user."""
        payload = {'jsonrpc': '2.0', 'method': 'call', 'params': {
            'model': model, 'method': method, 'args': args, 'kwargs': kwargs,
        }}
        answer = self.evaluate(
            "fetch('/web/dataset/call_kw', {method: 'POST', headers: {'Content-Type':"
            f" 'application/json'}}, body: JSON.stringify({json.dumps(payload)})}})"
            ".then(response => response.json())"
        )
        if 'error' in answer:
            raise RuntimeError(f"{model}.{method}: {answer['error']['message']}")
        return answer['result']


def take_screenshots(browser, base_url, out_dir):
    """Pay as the demo's shopper, open the provider as its administrator, and save what they see.
    """
    browser.goto(f'{base_url}/web/login', 'input[name="login"]')
    browser.evaluate(
        "document.querySelector('input[name=\"login\"]').value = 'admin';"
        "document.querySelector('input[name=\"password\"]').value = 'admin';"
        "document.querySelector('form.oe_login_form').submit()"
    )
    browser.wait('.o_main_navbar')
    [product] = browser.call('product.template', 'search_read', [('name', '=', PRODUCT)],
                             fields=['website_url'], context={'lang': 'en_US'})

    # The checkout, as the tours of static/tests/tours/galaxia_checkout.js walk it.
    browser.goto(base_url + product['website_url'], '#product_detail form #add_to_cart')
    browser.click('#product_detail form #add_to_cart')
    browser.wait_until("document.querySelector('sup.my_cart_quantity')?.textContent.trim()"
                       " === '1'", "the cart's quantity")
    browser.goto(f'{base_url}/shop/cart', 'a[href^="/shop/checkout"]')
    browser.click('a[href^="/shop/checkout"]')
    browser.click('a[href^="/shop/payment"]')
    galaxia = 'input[name="o_payment_radio"][data-provider-code="galaxia"]'
    browser.click(f'{galaxia}[data-payment-method-code="card"]')
    browser.wait('[name="o_payment_tokenize_container"]')
    browser.screenshot(out_dir / 'screenshot_checkout.png')

    browser.click('button[name="o_payment_submit_button"]:enabled')
    browser.wait('#imp-sandbox-window select[name="card_quota"]')
    browser.evaluate("const quota = document.querySelector("
                     "'#imp-sandbox-window select[name=\"card_quota\"]'); quota.value = '3';"
                     "quota.dispatchEvent(new Event('change', {bubbles: true}))")
    browser.screenshot(out_dir / 'screenshot_window.png')
    # Closed without paying: the shop says so, and the shopper picks a virtual account instead.
    browser.click('#imp-sandbox-window button[data-imp-action="close"]')
    browser.click('.modal .modal-footer button')
    browser.click(f'{galaxia}[data-payment-method-code="vbank"]')
    browser.click('button[name="o_payment_submit_button"]:enabled')
    browser.click('#imp-sandbox-window button[data-imp-action="approve"]')
    browser.click('#imp-sandbox-window button[data-imp-action="done"]')
    browser.wait('[name="order_confirmation"] .o_galaxia_vbank_account .o_galaxia_vbank_num')
    browser.screenshot(out_dir / 'screenshot_vbank.png')

    # The backend in English, the language of the Apps page that names its fields (the demo's
    # administrator reads Korean; the shopper's pages above stay as the demo shows them).
    admin = browser.call('res.users', 'search', [('login', '=', 'admin')])
    browser.call('res.users', 'write', admin, {'lang': 'en_US'})
    [provider] = browser.call('payment.provider', 'search', [('code', '=', 'galaxia')], limit=1)
    browser.goto(f'{base_url}/odoo/action-payment.action_payment_provider/{provider}',
                 '.o_form_view .o_field_widget[name="galaxia_merchant_code"]')
    browser.screenshot(out_dir / 'screenshot_provider.png')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0], allow_abbrev=False)
    parser.add_argument('--sandbox-url', required=True,
                        help="where the sandbox listens, as the demo's provider was set up")
    parser.add_argument('--out', type=Path, default=REPO_DIR / 'static' / 'description')
    parser.add_argument('--log', type=Path, default=Path(tempfile.gettempdir(), 'odoo.log'),
                        help="the Odoo server's log")
    args, odoo_argv = parser.parse_known_args()
    sandbox_address = urlsplit(args.sandbox_url)
    started = time.monotonic()
    with SandboxServer(host=sandbox_address.hostname, port=sandbox_address.port):
        port = free_port()
        server = start_odoo(odoo_argv, port, args.log, workers=0)
        try:
            browser = Browser()
            try:
                take_screenshots(browser, f'http://127.0.0.1:{port}', args.out)
            finally:
                browser.close()
        finally:
            stop_process(server)
    print(f"screenshots taken in {time.monotonic() - started:.0f} s", flush=True)


if __name__ == '__main__':
    main()
