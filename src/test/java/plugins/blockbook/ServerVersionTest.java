package plugins.blockbook;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which servers are asked for newBlockTxs: release numbers from 0.6.0 on, and anything that is not a release number. */
class ServerVersionTest {

  @Test
  void releasesBeforeSixIgnoreNewBlockTxs() {
    assertThat(ServerVersion.knowsNewBlockTxs("0.3.6")).isFalse();
    assertThat(ServerVersion.knowsNewBlockTxs("0.4.0")).isFalse();
    assertThat(ServerVersion.knowsNewBlockTxs("0.5.0")).isFalse();
    assertThat(ServerVersion.knowsNewBlockTxs("v0.5.1-rc1")).isFalse();
  }

  @Test
  void sixAndLaterAndUnknownVersionsAreAsked() {
    assertThat(ServerVersion.knowsNewBlockTxs("0.6.0")).isTrue();
    assertThat(ServerVersion.knowsNewBlockTxs("0.10.2")).isTrue();
    assertThat(ServerVersion.knowsNewBlockTxs("1.0.0")).isTrue();
    assertThat(ServerVersion.knowsNewBlockTxs("devel")).isTrue();
    assertThat(ServerVersion.knowsNewBlockTxs("unknown")).isTrue();
    assertThat(ServerVersion.knowsNewBlockTxs(null)).isTrue();
  }

  @Test
  void theAddressAServerNamesInItsRefusalIsRead() {
    assertThat(SetSubscriber.namedAddress("subscribeAddresses: Invalid address \"ltc1qxyz\", checksum mismatch")).isEqualTo("ltc1qxyz");
    assertThat(SetSubscriber.namedAddress("subscribeAddresses: checksum mismatch")).isNull();
  }
}
