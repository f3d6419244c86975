package app;

import java.util.Locale;

/** What one JVM runs, from the config's {@code role}. */
enum Role {
  /** The whole topology on this machine. */
  ALL,
  /** The WebSocket hub only. */
  HUB,
  /** One plugin, named by the config's {@code plugin}. */
  PLUGIN,
  /** One EVM chain worker, configured by the config's {@code chainworker} section (started by the evmRpc plugin). */
  CHAINWORKER;

  /** Whose heap size this JVM gets ({@code supervisor.heapMb}): role all runs the hub in its own JVM. */
  String heapRole() {
    return this == ALL ? "hub" : name().toLowerCase(Locale.ROOT);
  }

  static Role fromConfig(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown role \"" + name + "\": expected all, hub, plugin or chainworker");
    }
  }
}
