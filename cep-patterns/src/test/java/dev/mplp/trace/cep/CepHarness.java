package dev.mplp.trace.cep;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.functions.TimedOutPartialMatchHandler;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.operator.CepOperator;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * An operator test harness around a pattern in event time, built the way {@code CEP.pattern(…).inEventTime()
 * .process(…)} builds its operator, so that pattern tests see the state and the timers CEP keeps.
 */
final class CepHarness {

    private CepHarness() {}

    static <IN, OUT> KeyedOneInputStreamOperatorTestHarness<String, IN, OUT> of(
            Class<IN> type, KeySelector<IN, String> key, Pattern<IN, ?> pattern, PatternProcessFunction<IN, OUT> function)
            throws Exception {
        boolean timeoutHandling = function instanceof TimedOutPartialMatchHandler;
        CepOperator<IN, String, OUT> operator = new CepOperator<>(
                TypeInformation.of(type).createSerializer(new SerializerConfigImpl()),
                false,
                NFACompiler.compileFactory(pattern, timeoutHandling),
                null,
                pattern.getAfterMatchSkipStrategy(),
                function,
                null);
        KeyedOneInputStreamOperatorTestHarness<String, IN, OUT> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(operator, key, TypeInformation.of(String.class));
        harness.open();
        return harness;
    }
}
