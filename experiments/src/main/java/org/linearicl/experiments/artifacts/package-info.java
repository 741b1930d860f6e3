/**
 * Artifact types and their JSON codecs (checkpoints, evaluations): the files that flow between
 * stages. Every codec writes canonical, byte-stable text and reads with errors that name the
 * file and the field.
 */
package org.linearicl.experiments.artifacts;
