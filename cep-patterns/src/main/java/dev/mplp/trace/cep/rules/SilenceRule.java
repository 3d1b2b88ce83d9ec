package dev.mplp.trace.cep.rules;

import java.util.Objects;

/** A silence given at runtime: alerts matching every field given are not sent; null matches any. A Flink POJO. */
public class SilenceRule {
    public String service;
    public String operation;
    public String alertType;

    public SilenceRule() {}

    public SilenceRule(String service, String operation, String alertType) {
        this.service = service;
        this.operation = operation;
        this.alertType = alertType;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SilenceRule other
                && Objects.equals(service, other.service)
                && Objects.equals(operation, other.operation)
                && Objects.equals(alertType, other.alertType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(service, operation, alertType);
    }

    @Override
    public String toString() {
        return "Silence{" + service + "/" + operation + "/" + alertType + "}";
    }
}
