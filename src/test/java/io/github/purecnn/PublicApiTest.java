package io.github.purecnn;

import io.github.purecnn.model.Sequential;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The public API is deliberate: the public and protected types and members of the packages the
 * module exports (less those marked {@link Internal}) are listed in {@value #COMMITTED}, and any
 * difference fails with the lines added and removed. A change to the API is made by updating
 * that file with the change (the failing run writes the new list to {@value #ACTUAL}), so that it
 * shows in review and in the changelog. The API also never names an internal type: a signature
 * that mentions one (a kernel, an engine step) must be marked {@link Internal} or changed.
 */
class PublicApiTest {
    private static final String COMMITTED = "src/test/resources/api/public-api.txt";
    private static final String ACTUAL = "target/public-api.txt";

    @Test
    void thePublicApiIsTheCommittedList() throws IOException {
        List<String> actual = describeApi();
        Files.createDirectories(Path.of(ACTUAL).getParent());
        Files.write(Path.of(ACTUAL), actual, StandardCharsets.UTF_8);
        List<String> committed = Files.readAllLines(Path.of(COMMITTED), StandardCharsets.UTF_8);
        List<String> diff = new ArrayList<>();
        Set<String> committedSet = new HashSet<>(committed);
        Set<String> actualSet = new HashSet<>(actual);
        committed.stream().filter(l -> !actualSet.contains(l)).forEach(l -> diff.add("- " + l));
        actual.stream().filter(l -> !committedSet.contains(l)).forEach(l -> diff.add("+ " + l));
        assertTrue(diff.isEmpty(), "the public API differs from " + COMMITTED + " (- gone, + new); if the change"
                + " is deliberate, copy " + ACTUAL + " over it and note the change in CHANGELOG.md\n" + String.join("\n", diff));
    }

    @Test
    void theApiNamesNoInternalType() throws IOException {
        Set<String> exported = exportedPackages();
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : apiTypes()) {
            List<Type> referenced = new ArrayList<>(List.of(type.getGenericInterfaces()));
            if (type.getGenericSuperclass() instanceof ParameterizedType p) {
                referenced.addAll(List.of(p.getActualTypeArguments()));
            }
            referenced.add(apiSuperclass(type));
            checkTypes(type.getName(), referenced, exported, leaks);
            for (Member m : apiMembers(type)) {
                checkTypes(type.getName() + "." + m.getName(), signatureTypes(m), exported, leaks);
            }
        }
        assertTrue(leaks.isEmpty(), "API members naming types users cannot use (mark them @Internal or change them):\n"
                + String.join("\n", leaks));
    }

    @Test
    void theModuleExportsNoInternalPackage() throws IOException {
        Set<String> exported = exportedPackages();
        assertTrue(exported.contains("io.github.purecnn.layers"), exported.toString());
        for (String p : exported) {
            assertFalse(p.contains(".kernels") || p.contains(".runtime") || p.contains(".internal") || p.endsWith(".cli"),
                    "exported: " + p);
        }
    }

    /** One line per API type, then one per API member, each sorted. */
    static List<String> describeApi() throws IOException {
        List<String> lines = new ArrayList<>();
        for (Class<?> type : apiTypes()) {
            lines.add(describeType(type));
            Set<String> members = new TreeSet<>();
            for (Member m : apiMembers(type)) {
                members.add("    " + describeMember(type, m));
            }
            lines.addAll(members);
        }
        return lines;
    }

    private static String describeType(Class<?> type) {
        StringBuilder s = new StringBuilder(Modifier.toString(type.getModifiers() & ~Modifier.INTERFACE & ~Modifier.STATIC))
                .append(' ').append(kind(type)).append(' ').append(type.getTypeName());
        TypeVariable<?>[] params = type.getTypeParameters();
        if (params.length > 0) {
            s.append(Stream.of(params).map(PublicApiTest::describeTypeVariable).toList().toString()
                    .replace('[', '<').replace(']', '>'));
        }
        Class<?> superclass = apiSuperclass(type);
        if (superclass != null && superclass != Object.class && !type.isEnum() && !type.isRecord()) {
            s.append(" extends ").append(isApiType(type.getSuperclass())
                    ? type.getGenericSuperclass().getTypeName() : superclass.getName());
        }
        if (type.getGenericInterfaces().length > 0 && !type.isAnnotation()) {
            s.append(type.isInterface() ? " extends " : " implements ")
                    .append(String.join(", ", Stream.of(type.getGenericInterfaces()).map(Type::getTypeName).toList()));
        }
        if (type.isSealed()) {
            s.append(" permits ").append(String.join(", ", Stream.of(type.getPermittedSubclasses())
                    .map(c -> Modifier.isPublic(c.getModifiers()) ? c.getName() : "(package-private)").sorted().toList()));
        }
        return s.toString();
    }

    /**
     * The superclass users see: a public class may extend a package-private one (whose public
     * members it then shows as its own), and users see the first API class above it.
     */
    private static Class<?> apiSuperclass(Class<?> type) {
        Class<?> c = type.getSuperclass();
        while (c != null && c.getName().startsWith("io.github.purecnn.") && !isApiType(c)) {
            c = c.getSuperclass();
        }
        return c;
    }

    private static String describeTypeVariable(TypeVariable<?> v) {
        List<String> bounds = Stream.of(v.getBounds()).filter(b -> b != Object.class).map(Type::getTypeName).toList();
        return bounds.isEmpty() ? v.getName() : v.getName() + " extends " + String.join(" & ", bounds);
    }

    private static String kind(Class<?> type) {
        if (type.isAnnotation()) {
            return "@interface";
        }
        if (type.isInterface()) {
            return "interface";
        }
        if (type.isEnum()) {
            return "enum";
        }
        return type.isRecord() ? "record" : "class";
    }

    private static String describeMember(Class<?> owner, Member m) {
        String s = m instanceof Method method ? method.toGenericString()
                : m instanceof Constructor<?> c ? c.toGenericString() : ((Field) m).toGenericString();
        // Members inherited from a package-private superclass are written as the API type's own.
        return s.replace(m.getDeclaringClass().getName() + ".", owner.getName() + ".");
    }

    /** The public types of the exported packages (nested ones in public types), less those marked {@link Internal}. */
    static List<Class<?>> apiTypes() throws IOException {
        Path classes = classesDirectory();
        List<Class<?>> types = new ArrayList<>();
        for (String p : new TreeSet<>(exportedPackages())) {
            try (Stream<Path> files = Files.list(classes.resolve(p.replace('.', '/')))) {
                for (Path f : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                    String simple = f.getFileName().toString().replace(".class", "");
                    if (simple.equals("package-info")) {
                        continue;
                    }
                    Class<?> c = load(p + "." + simple);
                    if (isApiType(c)) {
                        types.add(c);
                    }
                }
            }
        }
        types.sort((a, b) -> a.getName().compareTo(b.getName()));
        return types;
    }

    private static boolean isApiType(Class<?> c) {
        if (c.isSynthetic() || c.isAnonymousClass() || c.isLocalClass() || c.isAnnotationPresent(Internal.class)) {
            return false;
        }
        for (Class<?> t = c; t != null; t = t.getDeclaringClass()) {
            int mod = t.getModifiers();
            boolean visible = Modifier.isPublic(mod) || t.getDeclaringClass() != null && Modifier.isProtected(mod);
            if (!visible || t.isAnnotationPresent(Internal.class)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The public and protected members users see on a type: its own, and those it inherits from
     * superclasses that are not API types themselves (package-private bases), less {@link Internal} ones.
     * Protected members count where a user's subclass reaches them (see {@link #reachableBySubclasses}).
     */
    static List<Member> apiMembers(Class<?> type) {
        List<Member> members = new ArrayList<>();
        boolean extendable = reachableBySubclasses(type);
        Set<String> seen = new LinkedHashSet<>();
        for (Class<?> c = type; c != null && (c == type || !isApiType(c)) && c != Object.class && c != Enum.class
                && c != Record.class; c = c.getSuperclass()) {
            List<Member> declared = new ArrayList<>(List.of(c.getDeclaredFields()));
            declared.addAll(List.of(c.getDeclaredMethods()));
            if (c == type) {
                declared.addAll(List.of(c.getDeclaredConstructors()));
            }
            for (Member m : declared) {
                int mod = m.getModifiers();
                boolean shown = Modifier.isPublic(mod) || (extendable || type.isInterface()) && Modifier.isProtected(mod);
                if (!shown || m.isSynthetic() || (m instanceof Method method && method.isBridge())
                        || ((java.lang.reflect.AnnotatedElement) m).isAnnotationPresent(Internal.class)) {
                    continue;
                }
                // An override lower in the chain hides the inherited declaration.
                String key = m instanceof Executable e ? m.getName() + List.of(e.getParameterTypes()) : m.getName();
                if (seen.add((m instanceof Constructor<?> ? "<init>" : "") + key)) {
                    members.add(m);
                }
            }
        }
        return members;
    }

    /**
     * Whether users can write a subclass of this type or of an API type below it (Layer's
     * protected members reach the subclasses of CustomLayer; Optimizer's reach no one).
     */
    private static boolean reachableBySubclasses(Class<?> type) {
        try {
            for (Class<?> c : apiTypes()) {
                if (type.isAssignableFrom(c) && !Modifier.isFinal(c.getModifiers()) && !c.isSealed() && !c.isInterface()
                        && Stream.of(c.getDeclaredConstructors()).anyMatch(k -> Modifier.isPublic(k.getModifiers())
                        || Modifier.isProtected(k.getModifiers()))) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<Type> signatureTypes(Member m) {
        List<Type> types = new ArrayList<>();
        if (m instanceof Field f) {
            types.add(f.getGenericType());
        } else if (m instanceof Executable e) {
            types.addAll(List.of(e.getGenericParameterTypes()));
            types.addAll(List.of(e.getGenericExceptionTypes()));
            if (e instanceof Method method) {
                types.add(method.getGenericReturnType());
            }
        }
        return types;
    }

    private static void checkTypes(String where, List<Type> types, Set<String> exported, List<String> leaks) {
        Set<Class<?>> named = new LinkedHashSet<>();
        for (Type t : types) {
            collect(t, named, new HashSet<>());
        }
        for (Class<?> c : named) {
            Class<?> top = c;
            while (top.isArray()) {
                top = top.getComponentType();
            }
            if (top.isPrimitive() || !top.getName().startsWith("io.github.purecnn.")) {
                continue;
            }
            if (!exported.contains(top.getPackageName()) || !isApiType(top)) {
                leaks.add(where + " names " + top.getName());
            }
        }
    }

    private static void collect(Type t, Set<Class<?>> into, Set<TypeVariable<?>> visited) {
        if (t instanceof Class<?> c) {
            into.add(c);
        } else if (t instanceof ParameterizedType p) {
            collect(p.getRawType(), into, visited);
            for (Type a : p.getActualTypeArguments()) {
                collect(a, into, visited);
            }
        } else if (t instanceof GenericArrayType g) {
            collect(g.getGenericComponentType(), into, visited);
        } else if (t instanceof WildcardType w) {
            Stream.concat(Stream.of(w.getUpperBounds()), Stream.of(w.getLowerBounds())).forEach(b -> collect(b, into, visited));
        } else if (t instanceof TypeVariable<?> v && visited.add(v)
                && !(v.getGenericDeclaration() instanceof Class<?> declaring && !isApiType(declaring))) {
            // A type variable of a package-private base is bound by its API subclass, checked there.
            for (Type b : v.getBounds()) {
                collect(b, into, visited);
            }
        }
    }

    /** The packages the module descriptor exports to everyone (not those exported to one module). */
    static Set<String> exportedPackages() throws IOException {
        Set<String> packages = new TreeSet<>();
        try (InputStream in = Files.newInputStream(classesDirectory().resolve("module-info.class"))) {
            for (ModuleDescriptor.Exports e : ModuleDescriptor.read(in).exports()) {
                if (!e.isQualified()) {
                    packages.add(e.source());
                }
            }
        }
        return packages;
    }

    private static Path classesDirectory() {
        try {
            return Path.of(Sequential.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, PublicApiTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
