package hub;

import api.ChangeEvent;

import java.util.List;

/** The events of one batch for one socket, in order: handed from the hub's inbox to the socket in one local publish. */
record ConnectionEvents(List<ChangeEvent> events) {
}
