package org.linearicl.pipeline.cache.remote;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * An S3 server inside the test JVM (S3Proxy on a filesystem directory, AWS signatures checked
 * against one access key), and the AWS SDK's system properties pointing at it: endpoint,
 * region and credentials, as a user sets AWS_ENDPOINT_URL and friends. {@link #close} stops the
 * server and restores the properties.
 */
public final class S3TestStore implements AutoCloseable {
  public static final String ACCESS_KEY = "test-access";
  public static final String SECRET_KEY = "test-secret";
  private static final String[] PROPERTIES = {"aws.endpointUrl", "aws.region", "aws.accessKeyId",
      "aws.secretAccessKey"};

  private final S3Proxy proxy;
  private final BlobStore blobs;
  private final Map<String, String> saved = new HashMap<>();

  /** Starts the server on a free port with buckets under {@code dir}, and sets the properties. */
  public S3TestStore(Path dir, String... buckets) throws Exception {
    java.nio.file.Files.createDirectories(dir);
    blobs = new FilesystemNio2BlobStore(dir.toString());
    for (String b : buckets) {
      blobs.createContainer(b);
    }
    proxy = S3Proxy.builder().blobStore(blobs).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
    proxy.start();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
      }
      Thread.sleep(10);
    }
    for (String p : PROPERTIES) {
      saved.put(p, System.getProperty(p));
    }
    System.setProperty("aws.endpointUrl", "http://127.0.0.1:" + proxy.getPort());
    System.setProperty("aws.region", "us-east-1");
    System.setProperty("aws.accessKeyId", ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", SECRET_KEY);
  }

  @Override
  public void close() throws Exception {
    for (String p : PROPERTIES) {
      if (saved.get(p) == null) {
        System.clearProperty(p);
      } else {
        System.setProperty(p, saved.get(p));
      }
    }
    proxy.stop();
  }
}
