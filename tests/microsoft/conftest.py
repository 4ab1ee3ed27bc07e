from ..fakes.entra import fake_entra  # noqa: F401  (fixture)
