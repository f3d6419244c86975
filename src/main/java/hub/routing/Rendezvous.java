package hub.routing;

import java.util.List;

/**
 * Rendezvous (highest-random-weight) hashing: the owner of an address is the instance whose weight for that address is
 * highest. Every hub that sees the same instances picks the same owner, with no coordination, and when an instance
 * joins or leaves only the addresses it wins or held change owner (about 1/n of them). The key is the address in lower
 * case, so that every casing of one EVM address lands on the same instance; base58 addresses that differ only in case
 * merely share an instance. The hash is fixed here (FNV-1a 64 of the UTF-16 chars, then a 64-bit finaliser): every hub
 * of a cluster must compute the same.
 */
public final class Rendezvous {

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private Rendezvous() {
  }

  /** The owner of {@code address} among {@code instances} (all up), or null when there is none. */
  public static PluginInstance owner(List<PluginInstance> instances, String address) {
    if (instances.size() == 1) {
      return instances.get(0);
    }
    long key = keyHash(address);
    PluginInstance best = null;
    long bestWeight = 0;
    for (PluginInstance instance : instances) {
      long weight = weight(instance.seed(), key);
      if (best == null || Long.compareUnsigned(weight, bestWeight) > 0) {
        best = instance;
        bestWeight = weight;
      }
    }
    return best;
  }

  /** An instance's part of every weight: derived from its instanceId. */
  static long seed(String instanceId) {
    return mix(fnv(instanceId, false));
  }

  static long keyHash(String address) {
    return fnv(address, true);
  }

  static long weight(long seed, long keyHash) {
    return mix(seed ^ mix(keyHash));
  }

  private static long fnv(String text, boolean lowerCase) {
    long hash = FNV_OFFSET;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      hash ^= lowerCase ? Character.toLowerCase(c) : c;
      hash *= FNV_PRIME;
    }
    return hash;
  }

  /** MurmurHash3's 64-bit finaliser: every input bit affects every output bit. */
  private static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
