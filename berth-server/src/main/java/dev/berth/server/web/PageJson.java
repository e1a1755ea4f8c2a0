package dev.berth.server.web;

import java.util.List;

/** One page of a listing: the items, the page number (from 0), its size and the total count. */
public record PageJson<T>(List<T> items, int page, int size, long total) {}
