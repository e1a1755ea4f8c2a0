package dev.berth.server.image;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The image centre's settings ({@code berth.images.*}, e.g. {@code BERTH_IMAGES_SYNC_INTERVAL}).
 *
 * @param syncInterval how often every replication rule is synced in full (repairs missed pushes);
 *     {@code 0} turns the periodic sync off
 * @param parallelImages images copied at the same time
 * @param parallelBlobs blobs of one image copied at the same time
 * @param maxAttempts attempts per image before a job fails
 * @param retryBackoff the first wait between attempts (doubling, at most 20 times as long)
 * @param chunkSize 0 to upload each blob in one streamed request; else the chunk size in bytes (for
 *     targets behind proxies that limit request bodies)
 * @param jobRetention how long finished jobs are kept
 * @param pullThrough whether the local runtime falls back to a rule's source registry for an image
 *     its target registry lacks
 */
@ConfigurationProperties("berth.images")
public record ImageProperties(
    @DefaultValue("10m") Duration syncInterval,
    @DefaultValue("4") int parallelImages,
    @DefaultValue("4") int parallelBlobs,
    @DefaultValue("5") int maxAttempts,
    @DefaultValue("500ms") Duration retryBackoff,
    @DefaultValue("0") int chunkSize,
    @DefaultValue("30d") Duration jobRetention,
    @DefaultValue("true") boolean pullThrough) {}
