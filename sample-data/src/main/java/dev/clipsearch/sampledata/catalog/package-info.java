/**
 * From emoji to products: the category, price and brand rules, the pure mapping, the small-catalog
 * selection and the JSON Lines writer.
 */
package dev.clipsearch.sampledata.catalog;
