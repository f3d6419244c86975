package plugins.alchemy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AddressFormatTest {

  @Test
  void evmAddressesAreHexOfFortyDigitsMatchedInLowerCase() {
    assertThat(AddressFormat.normalize("0x52908400098527886E0F7030069857D2E4169EE7", false)).isEqualTo("0x52908400098527886e0f7030069857d2e4169ee7");
    assertThat(AddressFormat.normalize("0X52908400098527886E0F7030069857D2E4169EE7", false)).isEqualTo("0x52908400098527886e0f7030069857d2e4169ee7");
    assertThat(AddressFormat.normalize("52908400098527886E0F7030069857D2E4169EE7", false)).isNull();
    assertThat(AddressFormat.normalize("0x52908400098527886E0F7030069857D2E4169EE", false)).isNull();
    assertThat(AddressFormat.normalize("0x52908400098527886E0F7030069857D2E4169EEG", false)).isNull();
    assertThat(AddressFormat.normalize("0x52908400098527886E0F7030069857D2E4169EE7 ", false)).isNull();
  }

  @Test
  void solanaAddressesAreBase58KeysOfExactly32BytesKeptAsGiven() {
    assertThat(AddressFormat.solana("9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM")).isEqualTo("9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM");
    assertThat(AddressFormat.solana("11111111111111111111111111111111")).as("the system program, 32 zero bytes").isNotNull();
    assertThat(AddressFormat.solana("So11111111111111111111111111111111111111112")).as("wrapped SOL").isNotNull();
    assertThat(AddressFormat.solana("1111111111111111111111111111111")).as("31 zero bytes").isNull();
    assertThat(AddressFormat.solana("0WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM")).as("0 is not base58").isNull();
    assertThat(AddressFormat.solana("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")).as("44 chars decoding to 33 bytes").isNull();
    assertThat(AddressFormat.solana("0x52908400098527886E0F7030069857D2E4169EE7")).isNull();
  }
}
