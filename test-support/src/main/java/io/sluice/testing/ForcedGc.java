package io.sluice.testing;

import java.lang.ref.WeakReference;


/**
 * Collects until a weakly held canary is gone, so that a test knows a GC really ran (System.gc() is
 * only a hint): what Micrometer holds weakly and nothing else holds is gone by then too.
 */
public final class ForcedGc {

    private ForcedGc() {
    }

    public static void collect() throws InterruptedException {
        for (int round = 0; round < 3; round++) {
            WeakReference<Object> canary = new WeakReference<>(new Object());
            for (int i = 0; i < 50 && canary.get() != null; i++) {
                System.gc();
                Thread.sleep(20);
            }
            if (canary.get() != null) throw new AssertionError("no GC collected the canary after 50 System.gc() calls");
        }
    }
}
