"""Fixtures for the integration tests (test_service_it.py).

The broker and registry come from the environment (HOSTWATCH_IT_BOOTSTRAP, HOSTWATCH_IT_REGISTRY): the Maven
module's NovaServiceIT starts the project's local cluster through the testkit and runs pytest with them set.
The Nova API is the real one from Debian's packages (tests/rig), one per session, started and stopped here.
Missing tools skip with a reason, or fail when HOSTWATCH_REQUIRE_EXTERNAL_TOOLS=1 (CI).
"""
import os
import shutil
import tempfile

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
MODULE = os.path.dirname(HERE)
REQUIRE = os.environ.get("HOSTWATCH_REQUIRE_EXTERNAL_TOOLS") == "1"


def need(reason):
    """Skip with reason, or fail when CI requires the external tools."""
    if reason is None:
        return
    if REQUIRE:
        pytest.fail("required external tool missing: %s" % reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def cluster():
    missing = [v for v in ("HOSTWATCH_IT_BOOTSTRAP", "HOSTWATCH_IT_REGISTRY") if not os.environ.get(v)]
    need("no broker/registry: %s unset (run through mvn verify -pl deploy/nova)" % ", ".join(missing)
         if missing else None)
    try:
        import confluent_kafka  # noqa: F401
        import avro  # noqa: F401
    except ImportError as error:
        need("Debian python3-confluent-kafka / python3-avro missing (%s)" % error)
    return {"bootstrap": os.environ["HOSTWATCH_IT_BOOTSTRAP"], "registry": os.environ["HOSTWATCH_IT_REGISTRY"]}


@pytest.fixture(scope="session")
def rig(cluster):  # skips first without a broker: no Nova started for nothing
    from tests.rig.nova_rig import NovaRig, unavailable_reason
    need(unavailable_reason())
    cache = os.path.join(MODULE, "target", "nova-rig-cache")
    work = tempfile.mkdtemp(prefix="nova-rig-", dir=os.path.join(MODULE, "target") if os.path.isdir(
        os.path.join(MODULE, "target")) else None)
    nova = NovaRig(work, cache).setup()
    try:
        nova.start()
        yield nova
    finally:
        nova.close()
        shutil.rmtree(work, ignore_errors=True)
