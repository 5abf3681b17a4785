# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""``python -m portone_sandbox`` from the repository root: run the offline PortOne sandbox until
interrupted."""

import argparse
import logging

from .config import SandboxConfig
from .server import SandboxServer


def main(argv=None):
    """Parse the arguments, print what the sandbox accepts and serve.

    :param list argv: The arguments, default ``sys.argv[1:]``.
    """
    parser = argparse.ArgumentParser(prog='python -m portone_sandbox',
                                     description=__doc__)
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=8070, help="0 picks a free port")
    parser.add_argument('--deterministic', action='store_true',
                        help="sequential ids (imp_000000000001, ...) instead of random ones")
    parser.add_argument('--token-life', type=int, default=SandboxConfig.token_life,
                        help="seconds an access token lives (default %(default)s)")
    parser.add_argument('--webhook-url', help="the console's webhook URL, for payments"
                                              " without notice_url")
    parser.add_argument('--verbose', action='store_true', help="log every request")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format='%(asctime)s %(levelname)s %(name)s: %(message)s')
    config = SandboxConfig(deterministic=args.deterministic, token_life=args.token_life,
                           webhook_url=args.webhook_url)
    sandbox = SandboxServer(config, host=args.host, port=args.port)
    channels = ', '.join(
        f"{key} ({'test' if channel.get('sandbox') else 'live'})"
        for key, channel in config.channels.items()
    )
    print(f"PortOne V1 sandbox on {sandbox.url}\n"
          f"  merchant code: {config.merchant_code}\n"
          f"  REST API key: {config.api_key}\n"
          f"  REST API secret: {config.api_secret}\n"
          f"  channel keys: {channels}\n"
          f"  SDK: {sandbox.url}/v1/iamport.js\n"
          f"  control API: {sandbox.url}/__sandbox__/ (see docs/sandbox.md)", flush=True)
    try:
        sandbox.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()


if __name__ == '__main__':
    main()
