package chainworker;

import java.util.Set;

/** A block read in full: its header, to keep the chain linked, and every address it touched (lowercase). */
record BlockActivity(BlockHeader header, Set<String> touched) {
}
