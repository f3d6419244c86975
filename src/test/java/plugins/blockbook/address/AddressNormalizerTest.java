package plugins.blockbook.address;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Validation on published vectors: BIP-173/BIP-350, the cashaddr spec, and each chain's own key_io test data (Litecoin
 * bech32/taproot ones checked with {@code litecoind validateaddress} on mainnet). Each block holds valid addresses,
 * broken checksums and addresses of another network or chain.
 */
class AddressNormalizerTest {

  private static AddressNormalizer chain(String pluginId, Network network) {
    return new AddressNormalizer(AddressParams.of(pluginId, network));
  }

  @Test
  void bitcoin() {
    AddressNormalizer main = chain("bitcoin", Network.MAINNET);
    assertThat(main.normalize("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")).isEqualTo("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa");
    assertThat(main.normalize("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy")).isEqualTo("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy");
    assertThat(main.normalize("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4")).isEqualTo("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4");
    assertThat(main.normalize("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0"))
      .isEqualTo("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0");
    assertThat(main.normalize("bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y")).isNotNull();
    assertThat(main.normalize("BC1SW50QGDZ25J")).isEqualTo("bc1sw50qgdz25j");
    assertThat(main.normalize("bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs")).isNotNull();

    assertThat(main.normalize("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb")).as("base58 checksum").isNull();
    assertThat(main.normalize("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd")).as("v1 with bech32 checksum").isNull();
    assertThat(main.normalize("BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL")).as("v16 with bech32 checksum").isNull();
    assertThat(main.normalize("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh")).as("v0 with bech32m checksum").isNull();
    assertThat(main.normalize("bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4")).as("bad checksum character").isNull();
    assertThat(main.normalize("BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R")).as("witness version 17").isNull();
    assertThat(main.normalize("bc1pw5dgrnzv")).as("1-byte program").isNull();
    assertThat(main.normalize("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav")).as("41-byte program").isNull();
    assertThat(main.normalize("BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P")).as("16-byte v0 program").isNull();
    assertThat(main.normalize("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf")).as("padding over 4 bits").isNull();
    assertThat(main.normalize("bc1gmk9yu")).as("empty data").isNull();

    assertThat(main.normalize("tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7")).as("testnet on mainnet").isNull();
    assertThat(main.normalize("tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut")).as("unknown HRP").isNull();
    assertThat(main.normalize("LT2KVaAy1ppRuxRgrS5RNU3vBsy7RibPeA")).as("litecoin on bitcoin").isNull();

    AddressNormalizer test = chain("bitcoin", Network.TESTNET);
    assertThat(test.normalize("tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7")).isNotNull();
    assertThat(test.normalize("tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c")).isNotNull();
    assertThat(test.normalize("tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf")).as("v2 with bech32 checksum").isNull();
    assertThat(test.normalize("tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq")).as("mixed case").isNull();
    assertThat(test.normalize("tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j")).as("non-zero padding").isNull();
    assertThat(test.normalize("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")).as("mainnet on testnet").isNull();
  }

  @Test
  void litecoin() {
    AddressNormalizer main = chain("litecoin", Network.MAINNET);
    assertThat(main.normalize("LT2KVaAy1ppRuxRgrS5RNU3vBsy7RibPeA")).isEqualTo("LT2KVaAy1ppRuxRgrS5RNU3vBsy7RibPeA");
    assertThat(main.normalize("MHrYRxAiMNBTku3eoDHwhA1LQGDjUStZW2")).as("P2SH, version 0x32").isNotNull();
    // Blockbook accepts Bitcoin's P2SH version too, and names the address in Litecoin's in its notifications: both
    // spellings must meet at one key (vectors computed independently, same hash160).
    assertThat(main.normalize("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy")).as("P2SH, legacy version 0x05")
      .isEqualTo("MQMHBtvnBfxTzt3K2bdxgSE7qZPHSXWsGM");
    assertThat(main.normalize("MQMHBtvnBfxTzt3K2bdxgSE7qZPHSXWsGM")).isEqualTo("MQMHBtvnBfxTzt3K2bdxgSE7qZPHSXWsGM");
    assertThat(main.normalize("ltc1qwppupnh0rd384f9ytxvh9l5qj6ch6ugnlmvzcl")).isEqualTo("ltc1qwppupnh0rd384f9ytxvh9l5qj6ch6ugnlmvzcl");
    assertThat(main.normalize("LTC1QWPPUPNH0RD384F9YTXVH9L5QJ6CH6UGNLMVZCL")).isEqualTo("ltc1qwppupnh0rd384f9ytxvh9l5qj6ch6ugnlmvzcl");
    assertThat(main.normalize("ltc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqpj6zg2")).as("taproot").isNotNull();

    assertThat(main.normalize("ltc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5w2wdg")).as("taproot with bech32 checksum").isNull();
    assertThat(main.normalize("ltc1qwppupnh0rd384f9ytxvh9l5qj6ch6ugnlmvzcm")).as("bech32 checksum").isNull();
    assertThat(main.normalize("LT2KVaAy1ppRuxRgrS5RNU3vBsy7RibPeB")).as("base58 checksum").isNull();
    assertThat(main.normalize("mpWvR79tSrA5xeziB6mjNYWdaVRwBpgnUP")).as("regtest on mainnet").isNull();
    assertThat(main.normalize("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4")).as("bitcoin on litecoin").isNull();

    AddressNormalizer regtest = chain("litecoin", Network.REGTEST);
    assertThat(regtest.normalize("mpWvR79tSrA5xeziB6mjNYWdaVRwBpgnUP")).isNotNull();
    assertThat(regtest.normalize("QgDNrG4nJpE4VV7PcFMFhkTgwAHWxWS7pj")).isNotNull();
    assertThat(regtest.normalize("2N9hLwkSqr1cPQAPxbrGVUjxyjD11G2e1he")).as("P2SH, legacy version 0xc4").isEqualTo("Qd474mK5s7fUYMA1DxJWZSQQsbSq6maeug");
    assertThat(regtest.normalize("rltc1qm33e0xcvmfkugkn89d8mmgm02yxkga5uzs0era")).as("from litecoind -regtest").isNotNull();
    assertThat(regtest.normalize("ltc1qwppupnh0rd384f9ytxvh9l5qj6ch6ugnlmvzcl")).as("mainnet on regtest").isNull();
    assertThat(regtest.normalize("LT2KVaAy1ppRuxRgrS5RNU3vBsy7RibPeA")).as("mainnet on regtest").isNull();
  }

  @Test
  void bitcoinCash() {
    AddressNormalizer main = chain("bitcoincash", Network.MAINNET);
    String p2pkh = "bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a";
    String p2sh = "bitcoincash:ppm2qsznhks23z7629mms6s4cwef74vcwvn0h829pq";
    assertThat(main.normalize(p2pkh)).isEqualTo(p2pkh);
    assertThat(main.normalize("qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a")).as("without prefix").isEqualTo(p2pkh);
    assertThat(main.normalize("BITCOINCASH:QPM2QSZNHKS23Z7629MMS6S4CWEF74VCWVY22GDX6A")).as("upper case").isEqualTo(p2pkh);
    assertThat(main.normalize("1BpEi6DfDAUFd7GtittLSdBeYJvcoaVggu")).as("legacy P2PKH, same hash").isEqualTo(p2pkh);
    assertThat(main.normalize(p2sh)).isEqualTo(p2sh);
    assertThat(main.normalize("3CWFddi6m4ndiGyKqzYvsFYagqDLPVMTzC")).as("legacy P2SH, same hash").isEqualTo(p2sh);
    assertThat(main.normalize("bitcoincash:qr6m7j9njldwwzlg9v7v53unlr4jkmx6eylep8ekg2")).isNotNull();

    assertThat(main.normalize("bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6b")).as("checksum").isNull();
    assertThat(main.normalize("qpm2qsznhks23z7629Mms6s4cwef74vcwvy22gdx6a")).as("mixed case").isNull();
    assertThat(main.normalize("bchtest:pr6m7j9njldwwzlg9v7v53unlr4jkmx6eyvwc0uz5t")).as("testnet on mainnet").isNull();
    assertThat(main.normalize("pr6m7j9njldwwzlg9v7v53unlr4jkmx6eyvwc0uz5t")).as("testnet payload checked against the mainnet prefix").isNull();
    assertThat(main.normalize("prefix:0r6m7j9njldwwzlg9v7v53unlr4jkmx6ey3qnjwsrf")).as("other prefix").isNull();
    assertThat(main.normalize("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")).as("segwit is not Bitcoin Cash").isNull();

    AddressNormalizer test = chain("bitcoincash", Network.TESTNET);
    assertThat(test.normalize("pr6m7j9njldwwzlg9v7v53unlr4jkmx6eyvwc0uz5t")).isEqualTo("bchtest:pr6m7j9njldwwzlg9v7v53unlr4jkmx6eyvwc0uz5t");
    assertThat(test.normalize(p2pkh)).as("mainnet on testnet").isNull();
  }

  @Test
  void dogecoin() {
    AddressNormalizer main = chain("dogecoin", Network.MAINNET);
    assertThat(main.normalize("DEQU7G2Chw4r1gSKZt2GfKBpGbkbQSwp3S")).isEqualTo("DEQU7G2Chw4r1gSKZt2GfKBpGbkbQSwp3S");
    assertThat(main.normalize("A36czoRusM4VxnNiEjTaaDcMyr4GB73xw1")).isNotNull();
    assertThat(main.normalize("9tg8sLnB9okjuNSdgtAWrNPcgijs1yMwBE")).isNotNull();

    assertThat(main.normalize("DEQU7G2Chw4r1gSKZt2GfKBpGbkbQSwp3T")).as("checksum").isNull();
    assertThat(main.normalize("nbpzakKSn16ZAp7nXuu9tELBrmiVpEyV1Q")).as("testnet on mainnet").isNull();
    assertThat(main.normalize("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")).as("bitcoin on dogecoin").isNull();
    assertThat(main.normalize("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")).as("no segwit on dogecoin").isNull();

    AddressNormalizer test = chain("dogecoin", Network.TESTNET);
    assertThat(test.normalize("nbpzakKSn16ZAp7nXuu9tELBrmiVpEyV1Q")).isNotNull();
    assertThat(test.normalize("2N2JD6wb56AfK4tfmM6PwdVmoYk2dCKf4Br")).isNotNull();
    assertThat(test.normalize("DEQU7G2Chw4r1gSKZt2GfKBpGbkbQSwp3S")).as("mainnet on testnet").isNull();
  }

  @Test
  void qtum() {
    AddressNormalizer main = chain("qtum", Network.MAINNET);
    assertThat(main.normalize("QX3gQrQsGHwsESPgme7iNHUJ4TTLjFp9pg")).isEqualTo("QX3gQrQsGHwsESPgme7iNHUJ4TTLjFp9pg");
    assertThat(main.normalize("MSDh4T9bbVJGP4tGRSEsEKED5eeSTgLXee")).isNotNull();
    assertThat(main.normalize("qc1q5cuatynjmk4szh40mmunszfzh7zrc5xmfay5c7")).isNotNull();
    assertThat(main.normalize("QC1Q5CUATYNJMK4SZH40MMUNSZFZH7ZRC5XMFAY5C7")).isEqualTo("qc1q5cuatynjmk4szh40mmunszfzh7zrc5xmfay5c7");
    assertThat(main.normalize("qc1p5rgvqejqh9dh37t9g94dd9cm8vtqns7dndgj423egwggsggcdzmsr55sv7")).as("taproot").isNotNull();

    assertThat(main.normalize("qc1q5cuatynjmk4szh40mmunszfzh7zrc5xmfay5c8")).as("bech32 checksum").isNull();
    assertThat(main.normalize("QX3gQrQsGHwsESPgme7iNHUJ4TTLjFp9ph")).as("base58 checksum").isNull();
    assertThat(main.normalize("qKMLfF2HAvN23XSTQmEb41G3vc8FpXxD14")).as("testnet on mainnet").isNull();
    assertThat(main.normalize("tq1q74fxwnvhsue0l8wremgq66xzvn48jlc5xgw3xd")).as("testnet on mainnet").isNull();

    AddressNormalizer test = chain("qtum", Network.TESTNET);
    assertThat(test.normalize("qKMLfF2HAvN23XSTQmEb41G3vc8FpXxD14")).isNotNull();
    assertThat(test.normalize("mURxJyc8VQhxGVgeYPis5tTC5dZj2vMCMA")).isNotNull();
    assertThat(test.normalize("tq1q74fxwnvhsue0l8wremgq66xzvn48jlc5xgw3xd")).isNotNull();
    assertThat(chain("qtum", Network.REGTEST).normalize("qcrt1qwf52dt9y2sv0f7fwkcpmtfjf74d4np2snk56lh")).isNotNull();
  }

  @Test
  void garbageIsInvalid() {
    AddressNormalizer main = chain("bitcoin", Network.MAINNET);
    assertThat(main.normalize("")).isNull();
    assertThat(main.normalize("not an address")).isNull();
    assertThat(main.normalize("1")).isNull();
    assertThat(main.normalize("bc1")).isNull();
  }
}
