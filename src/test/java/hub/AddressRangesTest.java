package hub;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** CIDR ranges of trusted proxies: boundaries, IPv4 and IPv6, plain addresses, and entries that must not start. */
class AddressRangesTest {

  @Test
  void anIpv4RangeHoldsExactlyItsAddresses() {
    AddressRanges ranges = AddressRanges.parse(List.of("10.0.0.0/8", "192.168.4.0/22"));
    assertThat(ranges.contains("10.0.0.0")).isTrue();
    assertThat(ranges.contains("10.255.255.255")).isTrue();
    assertThat(ranges.contains("11.0.0.0")).isFalse();
    assertThat(ranges.contains("9.255.255.255")).isFalse();
    assertThat(ranges.contains("192.168.4.1")).isTrue();
    assertThat(ranges.contains("192.168.7.255")).as("last of the /22").isTrue();
    assertThat(ranges.contains("192.168.8.0")).isFalse();
    assertThat(ranges.contains("192.168.3.255")).isFalse();
  }

  @Test
  void aPlainAddressIsOneAddress() {
    AddressRanges ranges = AddressRanges.parse(List.of("127.0.0.1", "2001:db8::7"));
    assertThat(ranges.contains("127.0.0.1")).isTrue();
    assertThat(ranges.contains("127.0.0.2")).isFalse();
    assertThat(ranges.contains("2001:db8::7")).isTrue();
    assertThat(ranges.contains("2001:0db8:0:0:0:0:0:7")).as("another spelling of the same address").isTrue();
    assertThat(ranges.contains("2001:db8::8")).isFalse();
  }

  @Test
  void anIpv6RangeHoldsExactlyItsAddresses() {
    AddressRanges ranges = AddressRanges.parse(List.of("::1/128", "fd00::/8", "2001:db8:abcd:12::/63"));
    assertThat(ranges.contains("::1")).isTrue();
    assertThat(ranges.contains("0:0:0:0:0:0:0:1")).isTrue();
    assertThat(ranges.contains("[::1]")).as("bracketed, as a header may write it").isTrue();
    assertThat(ranges.contains("::2")).isFalse();
    assertThat(ranges.contains("fdff:ffff::1")).isTrue();
    assertThat(ranges.contains("fe00::1")).isFalse();
    assertThat(ranges.contains("2001:db8:abcd:13:ffff::1")).as("second half of the /63").isTrue();
    assertThat(ranges.contains("2001:db8:abcd:14::1")).isFalse();
    assertThat(ranges.contains("2001:db8:abcd:11::1")).isFalse();
  }

  @Test
  void familiesDoNotMixButAMappedIpv4AddressIsItsIpv4Address() {
    AddressRanges ipv4 = AddressRanges.parse(List.of("0.0.0.0/0"));
    assertThat(ipv4.contains("203.0.113.9")).isTrue();
    assertThat(ipv4.contains("::1")).as("an IPv4 range holds no IPv6 address").isFalse();
    assertThat(ipv4.contains("::ffff:203.0.113.9")).as("a dual-stack socket's IPv4 peer").isTrue();
    AddressRanges ipv6 = AddressRanges.parse(List.of("::/0"));
    assertThat(ipv6.contains("203.0.113.9")).isFalse();
    assertThat(AddressRanges.parse(List.of("::ffff:10.0.0.0/104")).contains("10.200.0.1")).isTrue();
    assertThat(AddressRanges.parse(List.of("::ffff:10.0.0.0/104")).contains("11.0.0.1")).isFalse();
  }

  @Test
  void namesAndGarbageAreNeverTrustedAndNeverLookedUp() {
    AddressRanges ranges = AddressRanges.parse(List.of("0.0.0.0/0", "::/0"));
    assertThat(ranges.contains("localhost")).isFalse();
    assertThat(ranges.contains("unknown")).isFalse();
    assertThat(ranges.contains("")).isFalse();
    assertThat(ranges.contains("1.2.3")).isFalse();
    assertThat(AddressRanges.parse(List.of()).contains("127.0.0.1")).isFalse();
  }

  @Test
  void aMistypedEntryStopsTheStart() {
    assertThatThrownBy(() -> AddressRanges.parse(List.of("10.0.0.0/33"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10.0.0.0/33");
    assertThatThrownBy(() -> AddressRanges.parse(List.of("::1/129"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AddressRanges.parse(List.of("10.0.0.0/-1"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AddressRanges.parse(List.of("10.0.0.0/x"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AddressRanges.parse(List.of("proxy.internal"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AddressRanges.parse(List.of("10.0.0/8"))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anAddressHasOneSpellingForTheBudgets() {
    assertThat(AddressRanges.canonical("0:0:0:0:0:0:0:1")).isEqualTo("::1");
    assertThat(AddressRanges.canonical("2001:DB8:0:0:0:0:0:7")).isEqualTo("2001:db8::7");
    assertThat(AddressRanges.canonical("::ffff:203.0.113.9")).isEqualTo("203.0.113.9");
    assertThat(AddressRanges.canonical(" 203.0.113.9")).isEqualTo("203.0.113.9");
    assertThat(AddressRanges.canonical("unknown")).isEqualTo("unknown");
  }
}
