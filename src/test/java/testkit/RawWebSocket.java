package testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client written on a bare TCP socket: after the handshake it only sends, and reads nothing — not the
 * server's messages, not its pings. That is what a stalled or half-open peer looks like to the server, which a
 * library client (that answers pings and buffers messages by itself) cannot imitate.
 */
public final class RawWebSocket implements AutoCloseable {

  private final Socket socket;
  private final OutputStream out;
  private final String handshakeResponse;

  private RawWebSocket(Socket socket, String handshakeResponse) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.handshakeResponse = handshakeResponse;
  }

  public static RawWebSocket connect(int port) throws IOException {
    return connect(port, "");
  }

  /** {@code extraHeaderLines}: more request headers, each ending in CRLF. */
  public static RawWebSocket connect(int port, String extraHeaderLines) throws IOException {
    return connect(port, new byte[0], extraHeaderLines);
  }

  /**
   * {@code preamble}: bytes sent before the HTTP request, as a TCP load balancer sends a PROXY protocol header
   * ({@link #proxyV1}, {@link #proxyV2}).
   */
  public static RawWebSocket connect(int port, byte[] preamble, String extraHeaderLines) throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setReceiveBufferSize(4096);
    socket.setSoTimeout(30_000);
    socket.getOutputStream().write(preamble);
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    String request = "GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n" + extraHeaderLines + "\r\n";
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    String response = readHeaders(socket.getInputStream());
    if (!response.startsWith("HTTP/1.1 101")) {
      socket.close();
      throw new IOException("handshake refused: " + response.lines().findFirst().orElse(""));
    }
    return new RawWebSocket(socket, response);
  }

  /** The server's 101 response: status line and headers. */
  public String handshakeResponse() {
    return handshakeResponse;
  }

  /** One masked text frame, as a client must send it. */
  public void sendText(String text) throws IOException {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    out.write(0x81);
    if (payload.length < 126) {
      out.write(0x80 | payload.length);
    } else if (payload.length < 65536) {
      out.write(0x80 | 126);
      out.write(payload.length >>> 8);
      out.write(payload.length & 0xff);
    } else {
      out.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) ((long) payload.length >>> shift) & 0xff);
      }
    }
    out.write(mask);
    for (int i = 0; i < payload.length; i++) {
      payload[i] ^= mask[i & 3];
    }
    out.write(payload);
    out.flush();
  }

  /**
   * The next text message from the server (pings and other control frames skipped); reading is what this client
   * otherwise never does, so call it only where the test wants the server's answers.
   */
  public String nextText() throws IOException {
    InputStream in = socket.getInputStream();
    while (true) {
      int opcode = readByte(in) & 0x0f;
      long length = readByte(in) & 0x7f;
      if (length == 126) {
        length = ((long) readByte(in) << 8) | readByte(in);
      } else if (length == 127) {
        length = 0;
        for (int i = 0; i < 8; i++) {
          length = (length << 8) | readByte(in);
        }
      }
      byte[] payload = in.readNBytes((int) length);
      if (payload.length < length) {
        throw new IOException("connection closed mid-frame");
      }
      if (opcode == 1) {
        return new String(payload, StandardCharsets.UTF_8);
      }
      if (opcode == 8) {
        throw new IOException("closed by the server: " + (payload.length >= 2 ? ((payload[0] & 0xff) << 8 | (payload[1] & 0xff)) : "no status"));
      }
    }
  }

  /** A PROXY protocol v1 header (text) naming {@code source} as the client of a TCP4 or TCP6 connection to {@code port}. */
  public static byte[] proxyV1(String source, int sourcePort, int port) {
    boolean ipv6 = source.contains(":");
    String header = "PROXY " + (ipv6 ? "TCP6 " : "TCP4 ") + source + (ipv6 ? " ::1 " : " 127.0.0.1 ") + sourcePort + " " + port + "\r\n";
    return header.getBytes(StandardCharsets.US_ASCII);
  }

  /** A PROXY protocol v2 header (binary: signature, PROXY command, TCP over IPv4 or IPv6) naming {@code source}. */
  public static byte[] proxyV2(InetAddress source, int sourcePort, int port) {
    byte[] from = source.getAddress();
    byte[] to = (from.length == 4 ? InetAddress.getLoopbackAddress() : loopbackV6()).getAddress();
    ByteBuffer header = ByteBuffer.allocate(16 + 2 * from.length + 4);
    header.put(new byte[]{0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a});
    header.put((byte) 0x21); // version 2, PROXY
    header.put((byte) (from.length == 4 ? 0x11 : 0x21)); // TCP over IPv4 / IPv6
    header.putShort((short) (2 * from.length + 4));
    header.put(from).put(to).putShort((short) sourcePort).putShort((short) port);
    return header.array();
  }

  private static InetAddress loopbackV6() {
    try {
      return InetAddress.getByName("::1");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int readByte(InputStream in) throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new IOException("connection closed by the server");
    }
    return b;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private static String readHeaders(InputStream in) throws IOException {
    StringBuilder headers = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0) {
      headers.append((char) b);
      if (headers.length() >= 4 && headers.substring(headers.length() - 4).equals("\r\n\r\n")) {
        break;
      }
    }
    return headers.toString();
  }
}
