package chainworker;

/** A transaction's participants; {@code to} is null for a contract creation. Addresses are lowercase. */
record EvmTransaction(String hash, String from, String to) {

  boolean createsContract() {
    return to == null;
  }
}
