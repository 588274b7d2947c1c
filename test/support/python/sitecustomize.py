# Test shim (test/support/python-sdk.ts): Debian's botocore 1.29 predates
# AWS_ENDPOINT_URL_<SERVICE>, so the sso-oidc and sso clients it creates for SSO tokens and
# role credentials are sent to the emulator named by LATCHKEY_TEST_SSO_ENDPOINT. Nothing
# else about botocore changes: its token provider, cache file and refresh window are its own.
import os

_endpoint = os.environ.get("LATCHKEY_TEST_SSO_ENDPOINT")
if _endpoint:
    import botocore.session

    _create_client = botocore.session.Session.create_client

    def _create_client_at_emulator(self, service_name, *args, **kwargs):
        if service_name in ("sso-oidc", "sso") and kwargs.get("endpoint_url") is None:
            kwargs["endpoint_url"] = _endpoint
        return _create_client(self, service_name, *args, **kwargs)

    botocore.session.Session.create_client = _create_client_at_emulator
