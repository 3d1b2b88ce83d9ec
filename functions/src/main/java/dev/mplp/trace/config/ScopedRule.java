package dev.mplp.trace.config;

import java.io.Serializable;

/** A {@link Scoped} rule as a Flink POJO (the configuration's and the rule documents' scoped entries). */
public abstract class ScopedRule implements Scoped, Serializable {
    private static final long serialVersionUID = 1L;

    public NameMatcher service;
    public NameMatcher operation;

    @Override
    public NameMatcher service() {
        return service;
    }

    @Override
    public NameMatcher operation() {
        return operation;
    }
}
