import { jaegerBinary } from '../e2e/jaeger/jaeger';
import { peerPython } from './peers';

/**
 * Before the peer suite, outside any test's time limit: installs the Python and Ruby peers when missing
 * (test/peers/setup.sh; the Python's path is handed to the tests in TRACERY_PEERS_PYTHON) and builds Jaeger
 * when it is not in the cache (test/e2e/jaeger/build.sh), for the trace that must land in Jaeger as one tree.
 */
export default function globalSetup(): void {
  peerPython();
  jaegerBinary();
}
