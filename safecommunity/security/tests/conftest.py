# The injury-record fixtures of the injuries app (a record with personal data to encrypt and audit).
from safecommunity.injuries.tests.conftest import code, make_record, record_kwargs, sources  # noqa: F401
