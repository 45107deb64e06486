/**
 * Emoji metadata (emojibase names, keywords, groups) and the image sets that picture each emoji.
 */
package dev.clipsearch.sampledata.emoji;
