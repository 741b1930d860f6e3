package org.linearicl.pipeline.cache.remote;

import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The objects of one remote cache in an S3 bucket, by name under the address's prefix: get,
 * head, and a write-once put ({@code If-None-Match: *}). Endpoint, region and credentials come
 * the AWS SDK's way: {@code AWS_ENDPOINT_URL}, {@code AWS_REGION}, {@code AWS_ACCESS_KEY_ID} and
 * {@code AWS_SECRET_ACCESS_KEY} (or the {@code aws.*} system properties), then the profile files
 * ({@code AWS_PROFILE}, ~/.aws/config and credentials). Every SDK failure leaves as a
 * {@link RemoteException} with a one-line message.
 */
public final class S3Blobs implements AutoCloseable {
  private final S3Client s3;
  private final RemoteAddress address;

  private S3Blobs(S3Client s3, RemoteAddress address) {
    this.s3 = s3;
    this.address = address;
  }

  /** A client for {@code address} configured from the environment. */
  public static S3Blobs open(RemoteAddress address) throws RemoteException {
    try {
      S3ClientBuilder b = S3Client.builder()
          // named, not discovered: the classpath may hold other HTTP clients
          .httpClient(UrlConnectionHttpClient.builder().build())
          .region(region())
          // the SDK's default CRC trailers use chunked uploads that some S3-compatible stores
          // refuse; every object is checked against its SHA-256 here anyway
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
      String endpoint = endpoint();
      if (endpoint != null) {
        // S3-compatible stores (MinIO, Ceph, a university's) serve buckets by path, not by host
        b.endpointOverride(URI.create(endpoint)).forcePathStyle(true);
      }
      return new S3Blobs(b.build(), address);
    } catch (SdkException | IllegalArgumentException e) {
      throw new RemoteException(address + ": cannot configure the S3 client: " + oneLine(e), 0,
          e);
    }
  }

  /** The endpoint set for S3 or for every service, else null (AWS itself). */
  private static String endpoint() {
    for (String[] s : new String[][] {{"aws.endpointUrlS3", "AWS_ENDPOINT_URL_S3"},
        {"aws.endpointUrl", "AWS_ENDPOINT_URL"}}) {
      String v = System.getProperty(s[0]);
      if (v == null || v.isBlank()) {
        v = System.getenv(s[1]);
      }
      if (v != null && !v.isBlank()) {
        return v.trim();
      }
    }
    return null;
  }

  /** The configured region, else us-east-1 (what S3-compatible stores expect when unset). */
  private static Region region() {
    try {
      return new DefaultAwsRegionProviderChain().getRegion();
    } catch (SdkException e) {
      return Region.US_EAST_1;
    }
  }

  public RemoteAddress address() {
    return address;
  }

  /**
   * Checks that the bucket exists and the credentials may use it.
   *
   * @throws RemoteException with status 403 for wrong credentials, 404 for no such bucket
   */
  public void probe() throws RemoteException {
    try {
      s3.headBucket(r -> r.bucket(address.bucket()));
    } catch (SdkException e) {
      throw failure("s3://" + address.bucket(), e);
    }
  }

  /** The bytes of {@code name}, empty when there is no such object. */
  public Optional<byte[]> get(String name) throws RemoteException {
    try {
      ResponseBytes<GetObjectResponse> r = s3.getObjectAsBytes(g -> g.bucket(address.bucket())
          .key(address.key(name)));
      return Optional.of(r.asByteArray());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (SdkException e) {
      if (status(e) == 404) {
        return Optional.empty();
      }
      throw failure(address.url(name), e);
    }
  }

  /** The length of {@code name}, empty when there is no such object. */
  public Optional<Long> head(String name) throws RemoteException {
    try {
      HeadObjectResponse r = s3.headObject(h -> h.bucket(address.bucket())
          .key(address.key(name)));
      return Optional.of(r.contentLength());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (SdkException e) {
      if (status(e) == 404) {
        return Optional.empty();
      }
      throw failure(address.url(name), e);
    }
  }

  /**
   * Writes {@code name} unless it exists ({@code If-None-Match: *}); false when it did: the
   * store answered 412, another writer was first.
   */
  public boolean putIfAbsent(String name, byte[] bytes) throws RemoteException {
    for (int attempt = 1; ; attempt++) {
      try {
        s3.putObject(p -> p.bucket(address.bucket()).key(address.key(name)).ifNoneMatch("*")
            .contentLength((long) bytes.length), RequestBody.fromBytes(bytes));
        return true;
      } catch (SdkException e) {
        int status = status(e);
        if (status == 412) {
          return false;
        }
        // 409: a conditional write of the same name is in flight; the store asks for a retry
        if (status != 409 || attempt == 3) {
          throw failure(address.url(name), e);
        }
      }
    }
  }

  /** Writes {@code name} whatever is there (only to replace a copy found corrupt). */
  public void put(String name, byte[] bytes) throws RemoteException {
    try {
      s3.putObject(p -> p.bucket(address.bucket()).key(address.key(name))
          .contentLength((long) bytes.length), RequestBody.fromBytes(bytes));
    } catch (SdkException e) {
      throw failure(address.url(name), e);
    }
  }

  @Override
  public void close() {
    s3.close();
  }

  private static int status(SdkException e) {
    return e instanceof AwsServiceException a ? a.statusCode() : 0;
  }

  /** One line: the URL, what the store said (status and error code) or why it did not answer. */
  private static RemoteException failure(String url, SdkException e) {
    int status = status(e);
    String what;
    if (e instanceof AwsServiceException a) {
      String code = a.awsErrorDetails() == null ? null : a.awsErrorDetails().errorCode();
      what = switch (status) {
        case 403 -> "access denied (HTTP 403" + (code == null ? "" : " " + code) + "): expected"
            + " credentials that may read and write the bucket (AWS_ACCESS_KEY_ID,"
            + " AWS_SECRET_ACCESS_KEY or AWS_PROFILE)";
        case 404 -> "no such bucket (HTTP 404" + (code == null ? "" : " " + code) + ")";
        default -> "the store answered HTTP " + status + (code == null ? "" : " " + code);
      };
    } else if (String.valueOf(e.getMessage()).contains("Unable to load credentials")) {
      what = "no credentials found: expected AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or"
          + " AWS_PROFILE and ~/.aws/credentials";
    } else {
      what = "no answer (" + oneLine(e) + "); expected an S3 endpoint (AWS_ENDPOINT_URL for an"
          + " S3-compatible store) and credentials";
    }
    return new RemoteException(url + ": " + what, status, e);
  }

  private static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.replaceAll("\\s*\\R\\s*", " ").trim();
  }
}
