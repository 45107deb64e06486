/** The {@code clipsearch sample-data} command. */
package dev.clipsearch.sampledata.cli;
