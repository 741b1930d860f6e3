package org.linearicl.pipeline.cache.remote;

import java.io.IOException;

/** A request to the remote cache failed (network, permissions, the server); one-line message. */
public final class RemoteException extends IOException {
  private static final long serialVersionUID = 1L;
  private final int status;

  public RemoteException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The HTTP status the store answered with, 0 when there was no answer. */
  public int status() {
    return status;
  }
}
