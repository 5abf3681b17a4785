# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

from dataclasses import dataclass, field


def _default_channels():
    return {
        'channel-key-galaxia-test': {'sandbox': True},
        'channel-key-galaxia-live': {'sandbox': False},
    }


@dataclass(frozen=True)
class SandboxConfig:
    """What the sandbox accepts and how it behaves. The defaults are what the demo and tests use.

    Payments made through a channel whose ``sandbox`` flag is true carry ``sandbox: true`` and
    are hidden from lookups without ``include_sandbox=true``, as at PortOne.
    """

    merchant_code: str = 'imp00000000'
    merchant_name: str = '샌드박스 상점 (Sandbox Shop)'
    api_key: str = 'sandbox_api_key'
    api_secret: str = 'sandbox_api_secret'
    channels: dict = field(default_factory=_default_channels)
    token_life: int = 1800
    deterministic: bool = False  # imp_000000000001, imp_000000000002, ... instead of random ids
    webhook_url: str | None = None  # the console's webhook URL, used when there is no notice_url
    webhook_delay: float = 0.5  # seconds the window's webhook waits, so the browser usually wins
