# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

import subprocess
import sys
from pathlib import Path

import urllib3

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_cli_prints_its_url_and_credentials_and_serves():
    """Test that `python -m portone_sandbox` starts, says where and with what, and
    serves the SDK."""
    process = subprocess.Popen(
        [sys.executable, '-m', 'portone_sandbox', '--port', '0', '--deterministic'],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        banner = [process.stdout.readline() for _ in range(7)]
        url = banner[0].split(' on ')[1].strip()
        assert url.startswith('http://127.0.0.1:')
        assert 'imp00000000' in banner[1] and 'sandbox_api_key' in banner[2]
        assert 'sandbox_api_secret' in banner[3] and 'channel-key-galaxia-test' in banner[4]
        answer = urllib3.PoolManager().request('GET', url + '/v1/iamport.js')
        assert answer.status == 200 and b'request_pay' in answer.data
    finally:
        process.terminate()
        process.wait(timeout=10)
