package bench;

/**
 * What the sockets of one group saw of the subscribe and burst phases. Touched only from the group's event loop;
 * {@link #copy()} hands the run a snapshot it may read from another thread.
 */
final class GroupTally {

  final LatencySamples subscribeLatency;
  final LatencySamples burstLatency;
  int callsSent;
  int callsAnswered;
  /** Calls whose socket closed before the reply came. */
  int callsLost;
  /** Result codes other than 1 (subscribed, unchanged), over all tuples. */
  long resultsNotOne;
  int errorReplies;
  /** Messages the tool could not make sense of: not JSON, a reply to an id never sent. */
  int protocolErrors;
  String firstError;
  /** Emit times of the burst updates, epoch microseconds, to tell the rate the server emitted at. */
  long firstEmitMicros = Long.MAX_VALUE;
  long lastEmitMicros = Long.MIN_VALUE;

  private Runnable whenAllAnswered = () -> { };

  GroupTally() {
    this(new LatencySamples(), new LatencySamples());
  }

  private GroupTally(LatencySamples subscribeLatency, LatencySamples burstLatency) {
    this.subscribeLatency = subscribeLatency;
    this.burstLatency = burstLatency;
  }

  void whenAllAnswered(Runnable action) {
    whenAllAnswered = action;
    checkAllAnswered();
  }

  void answered(long latencyMicros) {
    callsAnswered++;
    subscribeLatency.record(latencyMicros);
    checkAllAnswered();
  }

  void lost(int calls) {
    callsLost += calls;
    checkAllAnswered();
  }

  void error(String what) {
    if (firstError == null) {
      firstError = what;
    }
  }

  void burstUpdate(long emitMicros, long latencyMicros) {
    burstLatency.record(latencyMicros);
    firstEmitMicros = Math.min(firstEmitMicros, emitMicros);
    lastEmitMicros = Math.max(lastEmitMicros, emitMicros);
  }

  private void checkAllAnswered() {
    if (callsAnswered + callsLost >= callsSent) {
      whenAllAnswered.run();
    }
  }

  GroupTally copy() {
    GroupTally copy = new GroupTally(subscribeLatency.copy(), burstLatency.copy());
    copy.mergeCounts(this);
    return copy;
  }

  /** Adds another group's figures to this one. */
  void merge(GroupTally other) {
    subscribeLatency.addAll(other.subscribeLatency);
    burstLatency.addAll(other.burstLatency);
    mergeCounts(other);
  }

  private void mergeCounts(GroupTally other) {
    callsSent += other.callsSent;
    callsAnswered += other.callsAnswered;
    callsLost += other.callsLost;
    resultsNotOne += other.resultsNotOne;
    errorReplies += other.errorReplies;
    protocolErrors += other.protocolErrors;
    if (firstError == null) {
      firstError = other.firstError;
    }
    firstEmitMicros = Math.min(firstEmitMicros, other.firstEmitMicros);
    lastEmitMicros = Math.max(lastEmitMicros, other.lastEmitMicros);
  }
}
