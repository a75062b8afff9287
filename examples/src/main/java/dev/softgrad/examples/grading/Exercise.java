package dev.softgrad.examples.grading;

/**
 * One exercise: its name (for {@code ./softgrad check NAME}), the notebook it belongs to, the task
 * in one line, the interface a stub implements, the simple class name shared by the stub (in
 * {@code dev.softgrad.examples.exercises}) and the solution (in {@code dev.softgrad.examples.solutions}),
 * and the grader: the notebook's claims about the quantity, checked on the student's code.
 *
 * @param name      the exercise's name
 * @param notebook  the notebook it belongs to ({@code softgrad run NOTEBOOK})
 * @param task      what to implement, in one line
 * @param contract  the interface the class implements
 * @param className the simple name of the stub and of the solution
 * @param grader    the claims
 * @param <T>       the contract's type
 */
public record Exercise<T>(String name, String notebook, String task, Class<T> contract, String className, Grader<T> grader) {

    /** The package of the stubs a student edits. */
    public static final String STUBS = "dev.softgrad.examples.exercises";
    /** The package of the solutions. */
    public static final String SOLUTIONS = "dev.softgrad.examples.solutions";

    /** Checks the claims about one implementation. */
    @FunctionalInterface
    public interface Grader<T> {
        /** Makes the claims through {@code g}. */
        void grade(T implementation, Grading g);
    }

    /** The stub's fully qualified class name. */
    public String stubClass() {
        return STUBS + "." + className;
    }

    /** The solution's fully qualified class name. */
    public String solutionClass() {
        return SOLUTIONS + "." + className;
    }

    /** The path of a class's source under a source root ({@code src/main/java}). */
    public static String sourcePath(String qualifiedClass) {
        return qualifiedClass.replace('.', '/') + ".java";
    }

    /** Casts a loaded class's new instance to the contract, or says what the class lacks. */
    public T instantiate(Class<?> cls) {
        if (!contract.isAssignableFrom(cls)) {
            throw new IllegalArgumentException(cls.getName() + " must implement " + contract.getName().replace('$', '.'));
        }
        try {
            return contract.cast(cls.getDeclaredConstructor().newInstance());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(cls.getName() + " needs a public no-argument constructor: " + e, e);
        }
    }
}
