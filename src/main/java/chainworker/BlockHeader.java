package chainworker;

/** What following the chain needs of a block: its height and its link to the parent. */
record BlockHeader(long number, String hash, String parentHash) {
}
