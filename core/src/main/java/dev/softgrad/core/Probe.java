package dev.softgrad.core;
class Probe { }
