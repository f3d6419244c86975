package bench;

/**
 * What the Edge-like sockets of one group saw during the reconnect storm. Touched only from the group's event loop;
 * the run reads a merged snapshot ({@link #merge}) once the phase is over.
 */
final class StormTally {

  /** Tuples answered with -1, 0, 1 and 2 (index code + 1), and with any other code. */
  final long[] results = new long[4];
  long otherResults;
  /** Calls answered with an error; each of their tuples counts as answered, with 0 (as Edge reads it). */
  int errorReplies;
  long errorTuples;
  int callsSent;
  /** Calls whose socket closed before the reply came (the next connection subscribes everything again). */
  int callsLost;
  int reconnectAttempts;
  /** Connects refused or failed; each is tried again {@link EdgeSocket#RECONNECT_MS} later. */
  int failedConnects;
  String firstConnectFailure;
  int reconnects;
  int deflateAccepted;
  /** Closes of a storm socket, whoever closed it. */
  int closes;
  /** Updates naming an address the socket never subscribed. */
  long unexpectedUpdates;
  long subLost;
  int protocolErrors;
  String firstError;
  /**
   * Microseconds from the restart command's start until each served socket was last served: only in the snapshots
   * {@link SocketGroup#stormTally} takes, since a socket's close takes its served time back.
   */
  final LatencySamples servedMicros = new LatencySamples();
  long firstServedMicros = Long.MAX_VALUE;

  void result(Object code) {
    int value = code instanceof Number number && number.doubleValue() == number.intValue() ? number.intValue() : Integer.MIN_VALUE;
    if (value >= -1 && value <= 2) {
      results[value + 1]++;
    } else {
      otherResults++;
    }
  }

  long results(int code) {
    return results[code + 1];
  }

  void errorReply(int tuples, String what) {
    errorReplies++;
    errorTuples += tuples;
    error(what);
  }

  void failedConnect(Throwable cause) {
    failedConnects++;
    if (firstConnectFailure == null) {
      firstConnectFailure = cause.toString();
    }
  }

  void protocolError(String what) {
    protocolErrors++;
    error(what);
  }

  void served(long micros) {
    servedMicros.record(micros);
    firstServedMicros = Math.min(firstServedMicros, micros);
  }

  void error(String what) {
    if (firstError == null) {
      firstError = what;
    }
  }

  /** Adds another group's figures to this one. */
  void merge(StormTally other) {
    for (int i = 0; i < results.length; i++) {
      results[i] += other.results[i];
    }
    otherResults += other.otherResults;
    errorReplies += other.errorReplies;
    errorTuples += other.errorTuples;
    callsSent += other.callsSent;
    callsLost += other.callsLost;
    reconnectAttempts += other.reconnectAttempts;
    failedConnects += other.failedConnects;
    firstConnectFailure = firstConnectFailure != null ? firstConnectFailure : other.firstConnectFailure;
    reconnects += other.reconnects;
    deflateAccepted += other.deflateAccepted;
    closes += other.closes;
    unexpectedUpdates += other.unexpectedUpdates;
    subLost += other.subLost;
    protocolErrors += other.protocolErrors;
    firstError = firstError != null ? firstError : other.firstError;
    servedMicros.addAll(other.servedMicros);
    firstServedMicros = Math.min(firstServedMicros, other.firstServedMicros);
  }
}
