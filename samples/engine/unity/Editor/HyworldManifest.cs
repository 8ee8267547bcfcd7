// The part of hyworld's manifest (exporters/schemas/manifest.schema.json) that the Unity import
// scripts read, as JsonUtility classes. Field names are the manifest's JSON keys; JsonUtility
// ignores every key not declared here. tests/test_engine_scripts.py checks each field against
// the schema, so a renamed manifest field fails CI instead of silently reading as empty.
using System;
using System.IO;
using UnityEngine;

namespace Hyworld.Editor
{
    [Serializable]
    public class ManifestFile
    {
        public string path;   // relative to the manifest's folder
        public string role;   // "fbx", "glb", "texture", ...
        public string sha256;
    }

    [Serializable]
    public class ManifestMaterial
    {
        public string name;
        public float[] base_color_factor;
        public float metallic_factor;
        public float roughness_factor;
        public string base_color_texture;
        public string orm_texture;          // R occlusion (if occlusion_from_orm), G roughness, B metallic
        public bool occlusion_from_orm;
        public string normal_texture;       // OpenGL convention (+Y), as Unity expects
        public float normal_scale;
        public bool double_sided;
    }

    [Serializable]
    public class ManifestTexture
    {
        public string name;
        public string role;   // baseColor, orm, normal, emissive
        public bool srgb;
    }

    [Serializable]
    public class ManifestLod
    {
        public int level;
        public string mesh;       // the LOD's mesh object name in the FBX; null if not written
        public int triangles;
        public float screen_size;
    }

    [Serializable]
    public class ManifestCollision
    {
        public string kind;   // convex, box, trimesh
        public string mesh;   // collider mesh object name in the FBX; null if not written
        public int triangles;
    }

    [Serializable]
    public class ManifestNode
    {
        public string name;
        public string object_name;         // the object in the FBX: mesh, or parent of the _LODn meshes
        public string kind;
        public string material;
        public ManifestLod[] lods;
        public float[] lod_screen_sizes;   // fraction of screen height below which level i gives way to i+1
        public ManifestCollision[] collision;
        public string[] uv_sets;           // "uv0", "uv1" (lightmap: Unity's uv2)
        public bool has_tangents;
    }

    [Serializable]
    public class Manifest
    {
        public string schema_version;
        public string asset_name;
        public string target;
        public ManifestFile[] files;
        public ManifestMaterial[] materials;
        public ManifestTexture[] textures;
        public ManifestNode[] nodes;

        public const string FileName = "manifest.json";

        public static Manifest Parse(string json) => JsonUtility.FromJson<Manifest>(json);

        /// The manifest.json beside an imported asset, or null when the asset is not hyworld's.
        public static Manifest ForAsset(string assetPath)
        {
            var dir = Path.GetDirectoryName(assetPath);
            var path = dir == null ? null : Path.Combine(dir, FileName);
            if (path == null || !File.Exists(path)) return null;
            try
            {
                var m = Parse(File.ReadAllText(path));
                // someone else's manifest.json: not ours unless it has our fields
                bool ours = m != null && !string.IsNullOrEmpty(m.schema_version) && m.nodes != null
                            && m.materials != null && m.textures != null && m.files != null;
                return ours ? m : null;
            }
            catch (ArgumentException)
            {
                return null;
            }
        }

        public bool HasUv1()
        {
            foreach (var n in nodes)
                if (n.uv_sets != null && Array.IndexOf(n.uv_sets, "uv1") >= 0) return true;
            return false;
        }

        public ManifestTexture Texture(string textureName)
        {
            foreach (var t in textures) if (t.name == textureName) return t;
            return null;
        }

        public ManifestMaterial Material(string materialName)
        {
            foreach (var m in materials) if (m.name == materialName) return m;
            return null;
        }

        /// "bark_orm" -> "bark_orm_MaskMap": metallic R, occlusion G, smoothness A (Standard, URP, HDRP).
        public static string MaskMapName(string ormTexture) => ormTexture + "_MaskMap";
    }
}
