/** Exports the emoji data as a training set for the offline model (models/training/). */
package dev.clipsearch.sampledata.training;
