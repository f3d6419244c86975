// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

/// Passes the ETH it receives on to another address: the recipient is touched only by an internal call, never by a
/// transaction or a log, so only a trace (trace_block / debug_traceBlockByNumber) reveals it.
contract Forwarder {
    function forward(address payable to) external payable {
        (bool ok, ) = to.call{value: msg.value}("");
        require(ok, "forward failed");
    }
}
