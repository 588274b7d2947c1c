# Test shim (test/support/python-sdk.ts): Debian's botocore 1.29, and the fork of it inside
# the AWS CLI v2 (awscli.botocore), predate AWS_ENDPOINT_URL_<SERVICE>, so the sso-oidc and
# sso clients they create for SSO tokens and role credentials are sent to the emulator named
# by LATCHKEY_TEST_SSO_ENDPOINT. Nothing else about them changes: token provider, cache
# file, refresh window and credential chain are their own. The session module is patched
# when it is first imported, so a process loads only the botocore it uses.
import importlib.abc
import importlib.util
import os
import sys

_endpoint = os.environ.get("LATCHKEY_TEST_SSO_ENDPOINT")
_SESSION_MODULES = ("botocore.session", "awscli.botocore.session")


def _patch(module):
    create_client = module.Session.create_client

    def create_client_at_emulator(self, service_name, *args, **kwargs):
        if service_name in ("sso-oidc", "sso") and kwargs.get("endpoint_url") is None:
            kwargs["endpoint_url"] = _endpoint
        return create_client(self, service_name, *args, **kwargs)

    module.Session.create_client = create_client_at_emulator


class _PatchingLoader(importlib.abc.Loader):
    def __init__(self, loader):
        self._loader = loader

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        _patch(module)


class _SessionFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        if fullname not in _SESSION_MODULES:
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(fullname)
        finally:
            sys.meta_path.insert(0, self)
        if spec is not None and spec.loader is not None:
            spec.loader = _PatchingLoader(spec.loader)
        return spec


if _endpoint:
    sys.meta_path.insert(0, _SessionFinder())
